## Layout
skip-to-content = Перайсці да зместу
nav-label = Галоўнае
nav-dashboard = Агляд
nav-persons = Асобы
nav-new-person = Новая асоба
log-out = Выйсці
language = Мова
language-switch = Змяніць
language-en = English
language-be = Беларуская
language-ru = Русский
back-to-dashboard = Да агляду

## Words used everywhere
any = Любы
yes = Так
no = Не
edit = Рэдагаваць
save = Захаваць
cancel = Скасаваць
show = Паказаць
as-of = На дату
ongoing = працягваецца
none-recorded = Нічога не запісана.
sort = Парадак
sort-name = Па імені
sort-updated = Нядаўна змененыя
sort-created = Нядаўна дададзеныя
filter-apply = Ужыць
filter-clear = Скінуць
filter-invalid = Некаторыя фільтры няправільныя; выпраўце іх, каб убачыць спіс.
form-has-errors = У форме памылкі; нічога не захавана. Глядзіце пазначаныя палі.
pager = Старонкі
pager-previous = Папярэдняя
pager-next = Наступная
pager-page = Старонка { $page }
field-visibility = Бачнасць

## Dates
date-approximate = каля { $date }
date-hint = Год (2021), месяц (2021-07 або 07.2021) ці дзень (2021-07-14 або 14.07.2021).
date-approximate-label = Прыблізна
date-day-format = Запішыце дзень як ГГГГ-ММ-ДД.
month-1 = студзень
month-2 = люты
month-3 = сакавік
month-4 = красавік
month-5 = травень
month-6 = чэрвень
month-7 = ліпень
month-8 = жнівень
month-9 = верасень
month-10 = кастрычнік
month-11 = лістапад
month-12 = снежань
month-1-of = студзеня
month-2-of = лютага
month-3-of = сакавіка
month-4-of = красавіка
month-5-of = траўня
month-6-of = чэрвеня
month-7-of = ліпеня
month-8-of = жніўня
month-9-of = верасня
month-10-of = кастрычніка
month-11-of = лістапада
month-12-of = снежня
term-years = { PLURAL($count) ->
    [one] { $count } год
    [few] { $count } гады
   *[many] { $count } гадоў
}
term-months = { PLURAL($count) ->
    [one] { $count } месяц
    [few] { $count } месяцы
   *[many] { $count } месяцаў
}
term-days = { PLURAL($count) ->
    [one] { $count } дзень
    [few] { $count } дні
   *[many] { $count } дзён
}

## Login
login-title = Уваход у Docket
login-email = Электронная пошта
login-password = Пароль
login-submit = Увайсці
login-failed = Няправільная пошта ці пароль, або ўліковы запіс адключаны.

## Overview
dashboard-title = Агляд
dashboard-as-of = Лічбы на { $date }.
dashboard-held = { PLURAL($count) ->
    [one] асоба пазбаўленая волі
    [few] асобы пазбаўленыя волі
   *[many] асоб пазбаўленыя волі
}
dashboard-held-recognized = { PLURAL($count) ->
    [one] з іх прызнаная палітвязнем
    [few] з іх прызнаныя палітвязнямі
   *[many] з іх прызнаныя палітвязнямі
}
dashboard-total = { PLURAL($count) ->
    [one] асоба ў рэестры
    [few] асобы ў рэестры
   *[many] асоб у рэестры
}
dashboard-by-status = Па статусе
dashboard-latest = Апошнія змены
dashboard-no-changes = Змен пакуль няма.

## Persons
persons-title = Асобы
persons-search = Імя, любым пісьмом
persons-search-hint = напр. Бяляцкі або Bialiatski
persons-held = Пазбаўлены волі
persons-recognized = Прызнаны
persons-organization = Арганізацыя
persons-detained-from = Затрыманы з
persons-detained-to = Затрыманы да
persons-none = Няма асоб пад гэтыя фільтры.
person-name = Імя
person-names = Імёны
person-names-hint = Усе напісанні імя: па-беларуску, па-руску, лацінкай. Пазначце, якое паказваць першым.
person-name-lang = Мова
person-family-name = Прозвішча
person-name-primary = Першае
person-status = Статус
person-birth-date = Нарадзіўся
person-gender = Пол
person-pronouns = Займеннікі
person-occupation = Занятак
person-region = Рэгіён
person-identity = Пра асобу
person-notes = Унутраныя нататкі
person-restricted-notes = Абмежаваныя нататкі
person-restricted-hint = Бачаць толькі супрацоўнікі з допускам; захоўваюцца зашыфраванымі.
person-new-title = Новая асоба
person-edit-title = Рэдагаваць асобу
status-on = на { $date }
status-uncertain = абапіраецца на дату, вядомую не да дня
recognitions = Прызнанні
affiliations = Сувязі з арганізацыямі
detentions = Затрыманні
detention-facility = Установа
detention-authority = Орган
charges = Абвінавачванні
charge-article = Артыкул
article-short = Арт.
article-part = ч.
criminal-case = Крымінальная справа
criminal-case-unknown = Крымінальная справа не запісана
sentences = Прысуды
sentence-charges = Па
sentence-expected-release = Тэрмін сканчаецца
sentence-released-on = Вызвалены
sentence-in-absentia = завочна

## Two edits of the same record
conflict-title = Пакуль вы рэдагавалі, гэтую асобу змяніў нехта іншы
conflict-explain = { $author } захаваў змену { $at }. Вашага пакуль нічога не захавана.
conflict-theirs = Захавана цяпер
conflict-yours = Ваша (не захавана)
conflict-next = Ваша версія засталася ў форме ніжэй. Звярыце з іхняй і захавайце зноў, каб замяніць іхнюю, або скасуйце, каб пакінуць яе.

## Vocabularies
role-viewer = чытач
role-editor = рэдактар
role-admin = адміністратар
visibility-public = Публічна
visibility-internal = Унутрана
visibility-restricted = Абмежавана
gender-female = Жаночы
gender-male = Мужчынскі
gender-other = Іншы
status-short-term = Кароткатэрміновае затрыманне
status-administrative-arrest = Адміністрацыйны арышт
status-pre-trial = Да суда пад вартай
status-house-arrest = Хатні арышт
status-compulsory-treatment = Прымусовае лячэнне
status-imprisoned = Пазбаўлены волі
status-released = Вызвалены
status-in-exile = У выгнанні
status-deceased = Памёр
status-at-liberty = На волі
status-unknown = Невядома
detention-kind-short-term = Кароткатэрміновае затрыманне
detention-kind-administrative-arrest = Адміністрацыйны арышт
detention-kind-pre-trial = Утрыманне пад вартай да суда
detention-kind-house-arrest = Хатні арышт
detention-kind-imprisonment = Пазбаўленне волі
detention-kind-compulsory-treatment = Прымусовае лячэнне
end-reason-released = вызвалены
end-reason-transferred = пераведзены
end-reason-sentenced = асуджаны
end-reason-pardoned = памілаваны
end-reason-amnestied = амніставаны
end-reason-term-served = адбыў тэрмін
end-reason-died = памёр
end-reason-exiled = высланы
charge-status-suspected = Падазраваны
charge-status-charged = Абвінавачаны
charge-status-convicted = Асуджаны
charge-status-acquitted = Апраўданы
charge-status-dropped = Справа спынена
charge-status-amnestied = Амніставаны
sentence-kind-imprisonment = Пазбаўленне волі
sentence-kind-restriction-of-freedom = Абмежаванне волі
sentence-kind-administrative-arrest = Адміністрацыйны арышт
sentence-kind-fine = Штраф
sentence-kind-death-penalty = Смяротнае пакаранне
sentence-kind-other = Іншае
regime-general = агульны рэжым
regime-reinforced = узмоцнены рэжым
regime-strict = строгі рэжым
regime-special = асаблівы рэжым
regime-prison = турма
action-create = дададзена
action-update = зменена
action-archive = архівавана
action-restore = адноўлена
record-person = асоба
record-detention = затрыманне
record-charge = абвінавачванне
record-sentence = прысуд
record-recognition = прызнанне
record-affiliation = сувязь з арганізацыяй
record-citation = крыніца
record-source = крыніца
record-case = крымінальная справа
record-facility = установа
record-organization = арганізацыя

## Errors
error-malformed-request = Запыт незразумелы
error-malformed-request-detail = Вярніцеся і паспрабуйце зноў.
error-unauthorized = Увайдзіце, каб працягнуць
error-unauthorized-detail = Ваш сеанс скончыўся.
error-forbidden = Не дазволена
error-forbidden-detail = Ваша роля гэтага не дазваляе, або форма прыйшла з іншага сайта ці састарэла. Перазагрузіце старонку і паспрабуйце зноў.
error-not-found = Не знойдзена
error-not-found-detail = Такой старонкі ці запісу няма, або вам нельга яго бачыць.
error-method-not-allowed = Тут не дазволена
error-method-not-allowed-detail = Гэты адрас не прымае такі запыт.
error-conflict = Канфлікт
error-conflict-detail = Запіс змяніў нехта іншы.
error-stale-version = Запіс змяніўся
error-stale-version-detail = Яго змянілі пасля таго, як вы яго адкрылі. Адкрыйце яго зноў.
error-if-match-required = Няма версіі
error-if-match-required-detail = Адкрыйце запіс зноў і паўтарыце змену.
error-body-too-large = Зашмат тэксту
error-body-too-large-detail = Форма завялікая, каб яе захаваць.
error-unsupported-media-type = Форма незразумелая
error-unsupported-media-type-detail = Адпраўце форму са старонкі.
error-invalid-input = Няправільныя даныя
error-invalid-input-detail = Некаторыя палі няправільныя.
error-unavailable = Часова недаступна
error-unavailable-detail = База даных недаступная; паспрабуйце праз хвіліну. Нічога не страчана.
error-internal = Нешта пайшло не так
error-internal-detail = Гэта запісана ў журнал. Нічога з захаванага раней не страчана.

## Records of a case
history = Гісторыя
add-detention = Дадаць затрыманне
add-charge = Дадаць абвінавачванне
add-sentence = Дадаць прысуд
add-recognition = Дадаць прызнанне
add-affiliation = Дадаць сувязь з арганізацыяй
cite-source = Спаслацца на крыніцу
form-add-detention = Новае затрыманне
form-edit-detention = Рэдагаваць затрыманне
form-add-charge = Новае абвінавачванне
form-edit-charge = Рэдагаваць абвінавачванне
form-add-sentence = Новы прысуд
form-edit-sentence = Рэдагаваць прысуд
form-add-recognition = Новае прызнанне
form-edit-recognition = Рэдагаваць прызнанне
form-add-affiliation = Новая сувязь з арганізацыяй
form-edit-affiliation = Рэдагаваць сувязь з арганізацыяй
form-add-citation = Спаслацца на крыніцу
form-edit-citation = Рэдагаваць спасылку
conflict-record-title = Пакуль вы рэдагавалі, гэты запіс змяніў нехта іншы
archive = Архіваваць
archive-confirm = Архіваваць гэты запіс? Ён застанецца ў гісторыі, і яго можна будзе аднавіць.
archive-hint = Запіс знікне са справы; гісторыя яго захоўвае.
field-notes = Унутраныя нататкі
field-internal-hint = Бачаць толькі супрацоўнікі, ніколі партнёры.
field-since = З
field-until = Да
detention-kind = Від
detention-started = Пачатак
detention-ended = Заканчэнне
detention-ended-hint = Пакіньце пустым, пакуль затрыманне працягваецца.
detention-end-reason = Як скончылася
charge-part = Частка
charge-part-hint = Як яе нумаруе кодэкс, напрыклад 2.
charge-status = Стадыя
charge-filed = Дата абвінавачвання
charge-status-since = Стадыя з
charge-detention = Пад час затрымання
article-search = Нумар або словы назвы
article-find = Знайсці
article-none-found = Няма такога артыкула.
article-pick-hint = Увядзіце нумар (342) або словы назвы, потым выберыце артыкул і рэдакцыю кодэкса.
sentence-kind = Від
sentence-pronounced = Дата прысуду
sentence-court = Суд
sentence-judge = Суддзя
sentence-term-years = Тэрмін: гадоў
sentence-term-months = Тэрмін: месяцаў
sentence-term-days = Тэрмін: дзён
sentence-regime = Рэжым
sentence-covers = Абвінавачванні, якія ён ахоплівае
sentence-facility = Дзе адбываецца
sentence-fine-units = Штраф у базавых велічынях
sentence-fine-amount = Сума штрафу
sentence-currency = Валюта
sentence-currency-hint = Код ISO, напрыклад BYN.
sentence-appeal-outcome = Вынік апеляцыі
recognition-organization = Хто прызнаў
recognition-statement = Заява
affiliation-organization = Арганізацыя
affiliation-role = Роля
citation-for = Крыніца для
citation-source = Крыніца
citation-note = Што кажа крыніца
legal-code-criminal-code = Крымінальны кодэкс
legal-code-administrative-code-2003 = Кодэкс аб адміністрацыйных правапарушэннях (2003)
legal-code-administrative-code-2021 = Кодэкс аб адміністрацыйных правапарушэннях (2021)
date-hint-short = 2021, 07.2021 або 14.07.2021
history-none = Змяненняў няма.
history-imported-from = імпартавана з
history-field = Поле
history-before = Было
history-after = Стала
history-older = Старэйшыя змяненні
history-linked-record = звязаны запіс
history-restore-version = Аднавіць гэтую версію
history-restore-record = Аднавіць запіс
history-restore-confirm = Аднавіць гэтую версію? Гэта будзе новае змяненне ў гісторыі, з вашым імем.
history-restore-failed = Гэтую версію нельга аднавіць у тым выглядзе:
face-api = праз API
face-web = у рабочай прасторы
face-cli = з каманднага радка
face-import = імпартам
person-external-ids = Знешнія ідэнтыфікатары
person-status-override = Статус, зададзены ўручную
charge-case = Крымінальная справа
sentence-fine-basic-units = Штраф у базавых велічынях
sentence-charge-ids = Абвінавачванні, якія ён ахоплівае
recognition-source = Заява

## Accounts and tokens
nav-admin = Уліковыя запісы
admin-accounts = Уліковыя запісы
admin-name = Імя
admin-kind = Тып
admin-role = Роля
admin-restricted = Доступ да абмежаваных даных
admin-restricted-hint = Можа чытаць і змяняць абмежаваныя даныя (толькі супрацоўнікі, ніколі праз токен).
admin-state = Стан
admin-enabled = актыўны
admin-disabled = Адключаны
admin-disabled-hint = Адключаны ўліковы запіс не можа ўвайсці, а яго токены адразу перастаюць дзейнічаць.
admin-new-account = Новы ўліковы запіс
admin-staff-hint = уваходзіць у рабочую прастору
admin-partner-hint = арганізацыя, што карыстаецца API з токенамі
admin-password-hint = Не менш за 12 знакаў. Пакіньце пустым, каб згенераваць пароль і паказаць яго адзін раз.
admin-create = Стварыць уліковы запіс
admin-access = Доступ
admin-tokens = Токены API
admin-scope = Абсяг
admin-scope-hint = read:public бачыць толькі публічныя палі; read:internal — і ўнутраныя; write можа змяняць справы (рэдактары і адміністратары).
admin-created = Створаны
admin-expires = Сканчаецца
admin-expires-days = Дзён да заканчэння
admin-last-used = Апошняе выкарыстанне
admin-revoke = Адклікаць
admin-revoke-confirm = Адклікаць гэты токен? Запыты з ім будуць адхіляцца з гэтага моманту.
admin-token-live = дзейны
admin-token-revoked = адкліканы
admin-token-expired = скончыўся
admin-new-token = Новы токен
admin-create-token = Стварыць токен
admin-secret = Скапіруйце зараз
admin-password-shown-once = Пароль паказваецца толькі адзін раз. Перадайце яго па бяспечным канале.
admin-token-shown-once = Токен паказваецца толькі адзін раз; захоўваецца толькі яго хэш. Перадайце яго партнёру па бяспечным канале.
admin-done = Гатова
account-kind-staff = Супрацоўнік
account-kind-partner = Партнёр

## Reference data
nav-reference = Даведнікі
sources = Крыніцы
facilities = Установы
organizations = Арганізацыі
reference-search = Назва змяшчае
reference-name = Назва
reference-kind = Від
reference-url = Вэб-адрас
add-source = Дадаць крыніцу
add-facility = Дадаць установу
add-organization = Дадаць арганізацыю
form-add-source = Новая крыніца
form-edit-source = Рэдагаваць крыніцу
form-add-facility = Новая ўстанова
form-edit-facility = Рэдагаваць установу
form-add-organization = Новая арганізацыя
form-edit-organization = Рэдагаваць арганізацыю
facility-city = Горад
facility-postal-address = Паштовы адрас
facility-postal-address-hint = Куды пісаць лісты вязням гэтай установы, як на канверце.
organization-country = Краіна
organization-country-hint = Код з дзвюх літар, напрыклад BY.
source-title = Назва
source-publisher = Выдавец
source-published = Апублікавана
facility-kind-detention-centre = Ізалятар часовага ўтрымання
facility-kind-pre-trial-centre = Следчы ізалятар
facility-kind-kgb-pre-trial = СІЗА КДБ
facility-kind-penal-colony = Папраўчая калонія
facility-kind-prison = Турма
facility-kind-other = Іншае
organization-kind-ngo = Грамадская арганізацыя
organization-kind-trade-union = Прафсаюз
organization-kind-media = СМІ
organization-kind-political = Палітычная
organization-kind-international = Міжнародная
organization-kind-state = Дзяржаўны орган
organization-kind-other = Іншае
source-kind-document = Дакумент
source-kind-article = Артыкул
source-kind-court-record = Судовы дакумент
source-kind-witness = Сведчанне
source-kind-statement = Заява
source-kind-other = Іншае

## Field errors
v-required = Абавязковае поле.
v-not-a-choice = Выберыце адзін з варыянтаў.
v-whole-number = Увядзіце цэлы лік.
v-not-negative = Не можа быць адмоўным.
v-too-large = Занадта вялікае.
v-control-characters = Змяшчае знакі, якія нельга захаваць.
v-spaces = Не павінна змяшчаць прабелаў.
v-url = Увядзіце вэб-адрас, які пачынаецца з http:// або https://.
v-names-required = Увядзіце хаця б адно імя.
v-one-primary = Адзначце адно імя, якое паказваць першым.
v-one-id-per-system = Адзін ідэнтыфікатар на сістэму.
v-language-tag = Увядзіце мову, напрыклад be, be-Latn, ru або en.
v-before-start = Не можа быць раней за пачатак.
v-before-filed = Не можа быць раней за дату абвінавачвання.
v-before-pronounced = Не можа быць раней за дату прысуду.
v-needs-end = Пакажыце і дату заканчэння.
v-part = Увядзіце частку, як яе нумаруе кодэкс, напрыклад 3.
v-choose-article = Выберыце артыкул са знойдзеных.
v-not-this-person = Павінен быць запісам гэтай асобы.
v-charge-twice = Абвінавачванне ўказана двойчы.
v-term-needed = Прысуду такога віду патрэбны тэрмін.
v-fine-needed = Штрафу патрэбна сума: у базавых велічынях або ў грошах.
v-money = Увядзіце суму, напрыклад 920 або 920.50.
v-currency-needed = Пакажыце валюту сумы.
v-currency-alone = Валюта ўказваецца толькі з сумай.
v-currency = Увядзіце код валюты, напрыклад BYN.
v-country = Увядзіце код краіны з дзвюх літар, напрыклад BY.
v-visibility = Вы не можаце даць запісу такую бачнасць.
v-not-a-page = Такой старонкі спіса няма.
v-email = Гэта не адрас электроннай пошты.
v-email-taken = Уліковы запіс з такім адрасам ужо існуе.
v-partner-restricted = Партнёры ніколі не бачаць абмежаваных даных.
v-last-admin = Патрэбны хаця б адзін актыўны адміністратар.
v-disabled = Уліковы запіс адключаны.
v-date-not-a-date = «{ $value }» — не дата. Увядзіце год (2021), месяц (07.2021) або дзень (14.07.2021).
v-date-no-such-month = «{ $value }»: няма такога месяца.
v-date-no-such-day = «{ $value }»: няма такога дня ў календары.
v-date-out-of-range = «{ $value }» па-за 1900–2100 гадамі.
v-max-chars = Не больш за { $max } знакаў.
v-max = Не больш за { $max }.
v-min-chars = Не менш за { $min } знакаў.
v-between = Ад { $low } да { $high }.
v-no-such = Няма такога запісу: { $record }.
person-status-override-hint = Толькі калі запісы не могуць гэтага паказаць (напрыклад, у выгнанні або памёр). Інакш статус вынікае з затрыманняў і прысудаў.
person-status-derived = Паводле запісаў
person-status-reason = Чаму
cases = Крымінальныя справы
add-case = Дадаць крымінальную справу
form-add-case = Новая крымінальная справа
form-edit-case = Рэдагаваць крымінальную справу
case-number = Нумар справы
case-opened = Узбуджана
case-authority = Хто ўзбудзіў
case-description = Апісанне
case-unnumbered = Справа без нумара
admin-account = Уліковы запіс
admin-tokens-hint = Усе токены API усіх уліковых запісаў. Токен паказваецца толькі пры стварэнні; тут відаць, што ён можа, калі ім карысталіся апошні раз, і яго можна адклікаць.
v-external-id-taken = Гэты ідэнтыфікатар у гэтай сістэме ўжо належыць іншай асобе.
v-term-bounded = Не больш за 1200 месяцаў і 36500 дзён.
login-throttled = { PLURAL($count) ->
    [one] Занадта шмат няўдалых спроб. Паспрабуйце зноў праз { $count } хвіліну.
    [few] Занадта шмат няўдалых спроб. Паспрабуйце зноў праз { $count } хвіліны.
   *[many] Занадта шмат няўдалых спроб. Паспрабуйце зноў праз { $count } хвілін.
}
account-title = Ваш уліковы запіс
account-sessions = Сеансы
account-sessions-hint = Сеанс сканчаецца праз { $idle } хв без запытаў і праз { $hours } гад пасля ўваходу. Калі вы ўваходзілі на камп'ютары, якім больш не карыстаецеся, або думаеце, што хтосьці іншы ўвайшоў, скончыце ўсе сеансы, акрамя гэтага.
account-end-other-sessions = Выйсці з іншых сеансаў
account-sessions-ended = Усе іншыя сеансы вашага ўліковага запісу скончаны.
v-weak-password = Занадта лёгка адгадаць: распаўсюджаны пароль, імя або шаблон. Некалькі незвычайных слоў — добрая парольная фраза.
account-password = Пароль
account-current-password = Цяперашні пароль
account-new-password = Новы пароль
account-password-hint = Не менш за 12 знакаў; некалькі незвычайных слоў — добрая парольная фраза, на любой мове. Іншыя вашы сеансы скончацца пасля змены.
account-change-password = Змяніць пароль
account-password-changed = Пароль зменены; усе іншыя сеансы вашага ўліковага запісу скончаны.
v-not-current-password = Гэта не ваш цяперашні пароль.
v-throttled = Занадта шмат няўдалых спроб; паспрабуйце пазней.
admin-security = Журнал бяспекі
admin-security-hint = Уваходы і няўдалыя спробы, сеансы і паролі, змены ўліковых запісаў і токенаў, выкарыстанне токенаў (не часцей за раз на хвіліну на токен) і прагляд абмежаваных даных. Тут ніколі няма пароляў, токенаў ці абмежаваных значэнняў, і ніводны запіс нельга змяніць ці выдаліць.
security-when = Калі
security-event = Падзея
security-who = Хто
security-from = Адкуль
security-subject = Датычыць
security-detail = Падрабязнасці
security-login = увайшоў
security-login-failed = няўдалы ўваход
security-login-throttled = уваход прыпынены
security-logout = выйшаў
security-sessions-ended = іншыя сеансы скончаны
security-password-changed = пароль зменены
security-account-created = уліковы запіс створаны
security-account-changed = уліковы запіс зменены
security-token-created = токен створаны
security-token-revoked = токен адкліканы
security-token-used = токен выкарыстаны
security-export = экспарт
security-restricted-read = прагляд абмежаваных даных
error-second-factor-required = Патрэбны другі фактар
error-second-factor-required-detail = Спачатку ўключыце другі фактар для свайго ўліковага запісу.
login-code-title = Увядзіце код
login-code = Код
login-code-hint = Шэсць лічбаў, якія ваша праграма-аўтэнтыфікатар паказвае для Docket, або адзін з кодаў аднаўлення.
login-code-failed = Гэты код няправільны або ўжо выкарыстаны. Дачакайцеся наступнага або ўвядзіце код аднаўлення.
login-code-start-again = Увайсці нанова
second-factor-title = Другі фактар
second-factor-required = Ваш уліковы запіс павінен уваходзіць з другім фактарам. Уключыце яго, каб працягнуць.
second-factor-intro = Пасля пароля Docket папросіць шасцізначны код з праграмы-аўтэнтыфікатара на вашым тэлефоне (напрыклад, Aegis, FreeOTP, Google Authenticator або 1Password). Хто даведаецца ваш пароль, не ўвойдзе без тэлефона.
second-factor-scan = Адскануйце гэты QR-код праграмай:
second-factor-qr-label = QR-код, каб дадаць Docket у праграму-аўтэнтыфікатар
second-factor-key = Або ўвядзіце ў праграму гэты ключ:
second-factor-confirm = Пацвердзіце кодам з праграмы
second-factor-code = Код з праграмы
second-factor-turn-on = Уключыць
second-factor-turned-on = Другі фактар уключаны. Усе іншыя сеансы вашага ўліковага запісу завершаны.
second-factor-codes-intro = Захоўвайце гэтыя коды аднаўлення ў надзейным месцы, не побач з тэлефонам: кожны з іх адзін раз дазваляе ўвайсці, калі тэлефон страчаны. Яны паказваюцца толькі цяпер.
second-factor-codes = Коды аднаўлення
second-factor-codes-saved = Я іх захаваў(-ла): далей
second-factor-status = Стан
second-factor-on-since = Уключаны з
second-factor-codes-left = { PLURAL($count) ->
    [one] { $count } нявыкарыстаны код аднаўлення
    [few] { $count } нявыкарыстаныя коды аднаўлення
   *[many] { $count } нявыкарыстаных кодаў аднаўлення
}
second-factor-renew = Новыя коды аднаўлення
second-factor-renew-hint = Старыя коды аднаўлення перастануць дзейнічаць, а новыя будуць паказаны адзін раз.
second-factor-codes-renewed = Створаны новыя коды аднаўлення; старыя больш не дзейнічаюць.
second-factor-turn-off = Выключыць другі фактар
second-factor-turned-off = Другі фактар выключаны. Усе іншыя сеансы вашага ўліковага запісу завершаны.
v-wrong-code = Гэта не той код, які праграма паказвае цяпер.
account-second-factor-on = Вы ўваходзіце з кодам з праграмы-аўтэнтыфікатара.
account-second-factor-off = Вы ўваходзіце толькі з паролем.
account-second-factor-manage = Другі фактар і коды аднаўлення
admin-second-factor-on = Уваходзіць з кодам з праграмы-аўтэнтыфікатара.
admin-second-factor-off = Другога фактара няма.
admin-second-factor-reset = Скінуць другі фактар
admin-second-factor-reset-hint = Для таго, хто страціў тэлефон і коды аднаўлення: другі фактар і коды аднаўлення выдаляюцца, і ўсе сеансы ўліковага запісу завяршаюцца. Калі ўліковы запіс павінен мець другі фактар, пры наступным уваходзе трэба будзе ўключыць новы.
admin-second-factor-for-all = Усе супрацоўнікі павінны ўваходзіць з другім фактарам
admin-second-factor-for-all-hint = Адміністратары павінны заўсёды. Каго без яго, папросяць уключыць яго пры наступным запыце.
admin-security-events = Падзеі
security-second-factor-enabled = другі фактар уключаны
security-second-factor-disabled = другі фактар выключаны
security-second-factor-failed = няправільны код другога фактара
security-second-factor-reset = другі фактар скінуты
security-recovery-code-used = выкарыстаны код аднаўлення
security-recovery-codes-renewed = коды аднаўлення абноўлены
security-settings-changed = налады зменены
admin-your-password = Ваш цяперашні пароль
sort-closeness = Найбліжэйшыя
search-matched = супала:
v-search-too-long = Не больш за 200 знакаў: даўжэйшых імёнаў няма.
facets-total = { PLURAL($count) ->
    [one] Знойдзена { $count } асоба: удакладніце
    [few] Знойдзена { $count } асобы: удакладніце
   *[many] Знойдзена { $count } асоб: удакладніце
}
facet-status = Стан
facet-article = Артыкул
facet-article-short = Арт.
facet-facility = Установа
facet-organization = Арганізацыя
facet-region = Рэгіён
facet-detention_year = Затрыманыя ў
facet-recognized = Прызнаныя
nav-search = Пошук у нататках
search-title = Пошук у нататках і крыніцах
search-words = Словы
search-words-hint = напр. збіцці, "галодная забастоўка", Акрэсціна
search-submit = Шукаць
search-scope = Шукае ў нататках пра асоб і іх запісы, у нататках да спасылак, у назвах і нататках крыніц, па-англійску, па-беларуску і па-руску: кожнае слова мусіць сустракацца, у любой форме; словы ў двукоссі мусяць ісці адно за адным. Абмежаваныя палі не шукаюцца ніколі.
search-found = { PLURAL($count) ->
    [one] Знойдзены { $count } тэкст
    [few] Знойдзена { $count } тэксты
   *[many] Знойдзена { $count } тэкстаў
}
search-in-title = назва
v-text-too-long = Не больш за 200 знакаў.
v-text-too-many-words = Не больш за 12 слоў.
v-text-no-word = Увядзіце хоць адно слова з двух і болей літар.
v-text-only-common-words = Гэтыя словы занадта частыя для пошуку (як «і» ці «the»): дадайце слова, якое кажа больш.
v-no-such-page = Такой старонкі няма.
action-merge = аб'яднана
field-person = Асоба
field-merged-into = Аб'яднана з
duplicates-title = Магчымыя дублікаты
duplicates-intro = Пары запісаў, якія могуць быць адной асобай, з прычынамі. Параўнайце і аб'яднайце або пазначце, што гэта дзве асобы: пара больш не прапануецца.
duplicates-none = Магчымых дублікатаў няма.
duplicates-compare = Параўнаць і аб'яднаць
duplicates-distinct = Дзве розныя асобы
duplicate-names-alike = Імёны пішуцца аднолькава: { $a } / { $b }
duplicate-shared-detention = Абодва затрыманыя { $date }, { $facility }
duplicate-same-birth-date = Абодва нарадзіліся { $date }
duplicate-same-birth-year = Абодва нарадзіліся ў { $year }
merge-title = Аб'яднаць два запісы адной асобы
merge-action = Аб'яднаць з…
merge-with = Другая асоба (адрас або id)
merge-keep = Пакінуць гэты запіс
merge-open = Адкрыць
merge-explain = Пакінуты запіс атрымлівае імёны другога, id у іншых рэестрах, нататкі і адсутныя звесткі, а таксама ўсе яго запісы; бачнасць — больш строгая з дзвюх. Адрас другога запісу вядзе да пакінутага. Усё ёсць у гісторыі, і аб'яднанне можна адмяніць са старонкі пакінутай асобы.
merge-submit = Аб'яднаць
merge-no-such-person = Такой асобы няма: дайце адрас або id другой асобы.
merge-stale = Адзін з запісаў змяніўся пасля таго, як вы адкрылі старонку. Параўнайце зноў.
merged-here = Запісы, аб'яднаныя з гэтым
merge-undo = Адмяніць аб'яднанне
