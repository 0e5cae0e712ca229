## Layout
skip-to-content = Перейти к содержимому
nav-label = Главное
nav-dashboard = Обзор
nav-persons = Люди
nav-new-person = Новый человек
log-out = Выйти
language = Язык
language-switch = Сменить
language-en = English
language-be = Беларуская
language-ru = Русский
back-to-dashboard = К обзору

## Words used everywhere
any = Любой
yes = Да
no = Нет
edit = Редактировать
save = Сохранить
cancel = Отмена
show = Показать
as-of = На дату
ongoing = продолжается
none-recorded = Ничего не записано.
sort = Порядок
sort-name = По имени
sort-updated = Недавно изменённые
sort-created = Недавно добавленные
filter-apply = Применить
filter-clear = Сбросить
filter-invalid = Некоторые фильтры неверны; исправьте их, чтобы увидеть список.
form-has-errors = В форме ошибки; ничего не сохранено. Смотрите отмеченные поля.
pager = Страницы
pager-previous = Предыдущая
pager-next = Следующая
pager-page = Страница { $page }
field-visibility = Видимость

## Dates
date-approximate = около { $date }
date-hint = Год (2021), месяц (2021-07 или 07.2021) или день (2021-07-14 или 14.07.2021).
date-approximate-label = Приблизительно
date-day-format = Запишите день как ГГГГ-ММ-ДД.
month-1 = январь
month-2 = февраль
month-3 = март
month-4 = апрель
month-5 = май
month-6 = июнь
month-7 = июль
month-8 = август
month-9 = сентябрь
month-10 = октябрь
month-11 = ноябрь
month-12 = декабрь
month-1-of = января
month-2-of = февраля
month-3-of = марта
month-4-of = апреля
month-5-of = мая
month-6-of = июня
month-7-of = июля
month-8-of = августа
month-9-of = сентября
month-10-of = октября
month-11-of = ноября
month-12-of = декабря
term-years = { PLURAL($count) ->
    [one] { $count } год
    [few] { $count } года
   *[many] { $count } лет
}
term-months = { PLURAL($count) ->
    [one] { $count } месяц
    [few] { $count } месяца
   *[many] { $count } месяцев
}
term-days = { PLURAL($count) ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}

## Login
login-title = Вход в Docket
login-email = Электронная почта
login-password = Пароль
login-submit = Войти
login-failed = Неверная почта или пароль, или учётная запись отключена.

## Overview
dashboard-title = Обзор
dashboard-as-of = Цифры на { $date }.
dashboard-held = { PLURAL($count) ->
    [one] человек лишён свободы
    [few] человека лишены свободы
   *[many] человек лишены свободы
}
dashboard-held-recognized = { PLURAL($count) ->
    [one] из них признан политзаключённым
    [few] из них признаны политзаключёнными
   *[many] из них признаны политзаключёнными
}
dashboard-total = { PLURAL($count) ->
    [one] человек в реестре
    [few] человека в реестре
   *[many] человек в реестре
}
dashboard-by-status = По статусу
dashboard-latest = Последние изменения
dashboard-no-changes = Изменений пока нет.

## Persons
persons-title = Люди
persons-search = Имя, любым письмом
persons-search-hint = напр. Беляцкий или Bialiatski
persons-held = Лишён свободы
persons-recognized = Признан
persons-organization = Организация
persons-detained-from = Задержан с
persons-detained-to = Задержан до
persons-none = Нет людей под эти фильтры.
person-name = Имя
person-names = Имена
person-names-hint = Все написания имени: по-белорусски, по-русски, латиницей. Отметьте, какое показывать первым.
person-name-lang = Язык
person-family-name = Фамилия
person-name-primary = Первое
person-status = Статус
person-birth-date = Родился
person-gender = Пол
person-pronouns = Местоимения
person-occupation = Занятие
person-region = Регион
person-identity = О человеке
person-notes = Внутренние заметки
person-restricted-notes = Закрытые заметки
person-restricted-hint = Видны только сотрудникам с допуском; хранятся зашифрованными.
person-new-title = Новый человек
person-edit-title = Редактировать
status-on = на { $date }
status-uncertain = основано на дате, известной не до дня
recognitions = Признания
affiliations = Связи с организациями
detentions = Задержания
detention-facility = Учреждение
detention-authority = Орган
charges = Обвинения
charge-article = Статья
article-short = Ст.
article-part = ч.
criminal-case = Уголовное дело
criminal-case-unknown = Уголовное дело не записано
sentences = Приговоры
sentence-charges = По
sentence-expected-release = Срок заканчивается
sentence-released-on = Освобождён
sentence-in-absentia = заочно

## Two edits of the same record
conflict-title = Пока вы редактировали, этого человека изменил кто-то другой
conflict-explain = { $author } сохранил изменение { $at }. Ваше пока не сохранено.
conflict-theirs = Сохранено сейчас
conflict-yours = Ваше (не сохранено)
conflict-next = Ваша версия осталась в форме ниже. Сверьте с их версией и сохраните снова, чтобы заменить её, или отмените, чтобы оставить её.

## Vocabularies
role-viewer = читатель
role-editor = редактор
role-admin = администратор
visibility-public = Публично
visibility-internal = Внутренне
visibility-restricted = Закрыто
gender-female = Женский
gender-male = Мужской
gender-other = Другой
status-short-term = Кратковременное задержание
status-administrative-arrest = Административный арест
status-pre-trial = Под стражей до суда
status-house-arrest = Домашний арест
status-compulsory-treatment = Принудительное лечение
status-imprisoned = Лишён свободы
status-released = Освобождён
status-in-exile = В изгнании
status-deceased = Умер
status-at-liberty = На свободе
status-unknown = Неизвестно
detention-kind-short-term = Кратковременное задержание
detention-kind-administrative-arrest = Административный арест
detention-kind-pre-trial = Содержание под стражей до суда
detention-kind-house-arrest = Домашний арест
detention-kind-imprisonment = Лишение свободы
detention-kind-compulsory-treatment = Принудительное лечение
end-reason-released = освобождён
end-reason-transferred = переведён
end-reason-sentenced = осуждён
end-reason-pardoned = помилован
end-reason-amnestied = амнистирован
end-reason-term-served = отбыл срок
end-reason-died = умер
end-reason-exiled = выслан
charge-status-suspected = Подозреваемый
charge-status-charged = Обвиняемый
charge-status-convicted = Осуждён
charge-status-acquitted = Оправдан
charge-status-dropped = Дело прекращено
charge-status-amnestied = Амнистирован
sentence-kind-imprisonment = Лишение свободы
sentence-kind-restriction-of-freedom = Ограничение свободы
sentence-kind-administrative-arrest = Административный арест
sentence-kind-fine = Штраф
sentence-kind-death-penalty = Смертная казнь
sentence-kind-other = Другое
regime-general = общий режим
regime-reinforced = усиленный режим
regime-strict = строгий режим
regime-special = особый режим
regime-prison = тюрьма
action-create = добавлено
action-update = изменено
action-archive = в архиве
action-restore = восстановлено
record-person = человек
record-detention = задержание
record-charge = обвинение
record-sentence = приговор
record-recognition = признание
record-affiliation = связь с организацией
record-citation = источник
record-source = источник
record-case = уголовное дело
record-facility = учреждение
record-organization = организация

## Errors
error-malformed-request = Запрос непонятен
error-malformed-request-detail = Вернитесь и попробуйте снова.
error-unauthorized = Войдите, чтобы продолжить
error-unauthorized-detail = Ваш сеанс закончился.
error-forbidden = Не разрешено
error-forbidden-detail = Ваша роль этого не позволяет, или форма пришла с другого сайта или устарела. Перезагрузите страницу и попробуйте снова.
error-not-found = Не найдено
error-not-found-detail = Такой страницы или записи нет, или вам нельзя её видеть.
error-method-not-allowed = Здесь не разрешено
error-method-not-allowed-detail = Этот адрес не принимает такой запрос.
error-conflict = Конфликт
error-conflict-detail = Запись изменил кто-то другой.
error-stale-version = Запись изменилась
error-stale-version-detail = Её изменили после того, как вы её открыли. Откройте её снова.
error-if-match-required = Нет версии
error-if-match-required-detail = Откройте запись снова и повторите изменение.
error-body-too-large = Слишком много текста
error-body-too-large-detail = Форма слишком велика для сохранения.
error-unsupported-media-type = Форма непонятна
error-unsupported-media-type-detail = Отправьте форму со страницы.
error-invalid-input = Неверные данные
error-invalid-input-detail = Некоторые поля неверны.
error-unavailable = Временно недоступно
error-unavailable-detail = База данных недоступна; попробуйте через минуту. Ничего не потеряно.
error-internal = Что-то пошло не так
error-internal-detail = Это записано в журнал. Ничего из сохранённого раньше не потеряно.

## Records of a case
history = История
add-detention = Добавить задержание
add-charge = Добавить обвинение
add-sentence = Добавить приговор
add-recognition = Добавить признание
add-affiliation = Добавить связь с организацией
cite-source = Сослаться на источник
form-add-detention = Новое задержание
form-edit-detention = Редактировать задержание
form-add-charge = Новое обвинение
form-edit-charge = Редактировать обвинение
form-add-sentence = Новый приговор
form-edit-sentence = Редактировать приговор
form-add-recognition = Новое признание
form-edit-recognition = Редактировать признание
form-add-affiliation = Новая связь с организацией
form-edit-affiliation = Редактировать связь с организацией
form-add-citation = Сослаться на источник
form-edit-citation = Редактировать ссылку
conflict-record-title = Пока вы редактировали, эту запись изменил кто-то другой
archive = Архивировать
archive-confirm = Архивировать эту запись? Она останется в истории, и её можно будет восстановить.
archive-hint = Запись уйдёт из дела; история её сохраняет.
field-notes = Внутренние заметки
field-internal-hint = Видят только сотрудники, никогда партнёры.
field-since = С
field-until = До
detention-kind = Вид
detention-started = Начало
detention-ended = Окончание
detention-ended-hint = Оставьте пустым, пока задержание продолжается.
detention-end-reason = Как закончилось
charge-part = Часть
charge-part-hint = Как её нумерует кодекс, например 2.
charge-status = Стадия
charge-filed = Дата обвинения
charge-status-since = Стадия с
charge-detention = Во время задержания
article-search = Номер или слова названия
article-find = Найти
article-none-found = Нет такой статьи.
article-pick-hint = Введите номер (342) или слова названия, затем выберите статью и редакцию кодекса.
sentence-kind = Вид
sentence-pronounced = Дата приговора
sentence-court = Суд
sentence-judge = Судья
sentence-term-years = Срок: лет
sentence-term-months = Срок: месяцев
sentence-term-days = Срок: дней
sentence-regime = Режим
sentence-covers = Обвинения, которые он охватывает
sentence-facility = Где отбывается
sentence-fine-units = Штраф в базовых величинах
sentence-fine-amount = Сумма штрафа
sentence-currency = Валюта
sentence-currency-hint = Код ISO, например BYN.
sentence-appeal-outcome = Итог апелляции
recognition-organization = Кто признал
recognition-statement = Заявление
affiliation-organization = Организация
affiliation-role = Роль
citation-for = Источник для
citation-source = Источник
citation-note = Что говорит источник
legal-code-criminal-code = Уголовный кодекс
legal-code-administrative-code-2003 = Кодекс об административных правонарушениях (2003)
legal-code-administrative-code-2021 = Кодекс об административных правонарушениях (2021)
date-hint-short = 2021, 07.2021 или 14.07.2021
history-none = Изменений нет.
history-imported-from = импортировано из
history-field = Поле
history-before = Было
history-after = Стало
history-older = Более старые изменения
history-linked-record = связанная запись
history-restore-version = Восстановить эту версию
history-restore-record = Восстановить запись
history-restore-confirm = Восстановить эту версию? Это будет новое изменение в истории, с вашим именем.
history-restore-failed = Эту версию нельзя восстановить в прежнем виде:
face-api = через API
face-web = в рабочем пространстве
face-cli = из командной строки
face-import = импортом
person-external-ids = Внешние идентификаторы
person-status-override = Статус, заданный вручную
charge-case = Уголовное дело
sentence-fine-basic-units = Штраф в базовых величинах
sentence-charge-ids = Обвинения, которые он охватывает
recognition-source = Заявление

## Accounts and tokens
nav-admin = Учётные записи
admin-accounts = Учётные записи
admin-name = Имя
admin-kind = Тип
admin-role = Роль
admin-restricted = Доступ к ограниченным данным
admin-restricted-hint = Может читать и изменять ограниченные данные (только сотрудники, никогда через токен).
admin-state = Состояние
admin-enabled = активна
admin-disabled = Отключена
admin-disabled-hint = Отключённая учётная запись не может войти, а её токены сразу перестают действовать.
admin-new-account = Новая учётная запись
admin-staff-hint = входит в рабочее пространство
admin-partner-hint = организация, которая пользуется API с токенами
admin-password-hint = Не меньше 12 знаков. Оставьте пустым, чтобы сгенерировать пароль и показать его один раз.
admin-create = Создать учётную запись
admin-access = Доступ
admin-tokens = Токены API
admin-scope = Область
admin-scope-hint = read:public видит только публичные поля; read:internal — и внутренние; write может изменять дела (редакторы и администраторы).
admin-created = Создан
admin-expires = Истекает
admin-expires-days = Дней до истечения
admin-last-used = Последнее использование
admin-revoke = Отозвать
admin-revoke-confirm = Отозвать этот токен? Запросы с ним будут отклоняться с этого момента.
admin-token-live = действует
admin-token-revoked = отозван
admin-token-expired = истёк
admin-new-token = Новый токен
admin-create-token = Создать токен
admin-secret = Скопируйте сейчас
admin-password-shown-once = Пароль показывается только один раз. Передайте его по безопасному каналу.
admin-token-shown-once = Токен показывается только один раз; хранится только его хэш. Передайте его партнёру по безопасному каналу.
admin-done = Готово
account-kind-staff = Сотрудник
account-kind-partner = Партнёр

## Reference data
nav-reference = Справочники
sources = Источники
facilities = Учреждения
organizations = Организации
reference-search = Название содержит
reference-name = Название
reference-kind = Вид
reference-url = Веб-адрес
add-source = Добавить источник
add-facility = Добавить учреждение
add-organization = Добавить организацию
form-add-source = Новый источник
form-edit-source = Редактировать источник
form-add-facility = Новое учреждение
form-edit-facility = Редактировать учреждение
form-add-organization = Новая организация
form-edit-organization = Редактировать организацию
facility-city = Город
facility-postal-address = Почтовый адрес
facility-postal-address-hint = Куда писать письма заключённым этого учреждения, как на конверте.
organization-country = Страна
organization-country-hint = Код из двух букв, например BY.
source-title = Название
source-publisher = Издатель
source-published = Опубликовано
facility-kind-detention-centre = Изолятор временного содержания
facility-kind-pre-trial-centre = Следственный изолятор
facility-kind-kgb-pre-trial = СИЗО КГБ
facility-kind-penal-colony = Исправительная колония
facility-kind-prison = Тюрьма
facility-kind-other = Другое
organization-kind-ngo = Общественная организация
organization-kind-trade-union = Профсоюз
organization-kind-media = СМИ
organization-kind-political = Политическая
organization-kind-international = Международная
organization-kind-state = Государственный орган
organization-kind-other = Другое
source-kind-document = Документ
source-kind-article = Статья
source-kind-court-record = Судебный документ
source-kind-witness = Свидетельство
source-kind-statement = Заявление
source-kind-other = Другое

## Field errors
v-required = Обязательное поле.
v-not-a-choice = Выберите один из вариантов.
v-whole-number = Введите целое число.
v-not-negative = Не может быть отрицательным.
v-too-large = Слишком большое.
v-control-characters = Содержит знаки, которые нельзя сохранить.
v-spaces = Не должно содержать пробелов.
v-url = Введите веб-адрес, начинающийся с http:// или https://.
v-names-required = Введите хотя бы одно имя.
v-one-primary = Отметьте одно имя, которое показывать первым.
v-one-id-per-system = Один идентификатор на систему.
v-language-tag = Введите язык, например be, be-Latn, ru или en.
v-before-start = Не может быть раньше начала.
v-before-filed = Не может быть раньше даты обвинения.
v-before-pronounced = Не может быть раньше даты приговора.
v-needs-end = Укажите и дату окончания.
v-part = Введите часть, как её нумерует кодекс, например 3.
v-choose-article = Выберите статью из найденных.
v-not-this-person = Должно быть записью этого человека.
v-charge-twice = Обвинение указано дважды.
v-term-needed = Приговору такого вида нужен срок.
v-fine-needed = Штрафу нужна сумма: в базовых величинах или в деньгах.
v-money = Введите сумму, например 920 или 920.50.
v-currency-needed = Укажите валюту суммы.
v-currency-alone = Валюта указывается только вместе с суммой.
v-currency = Введите код валюты, например BYN.
v-country = Введите код страны из двух букв, например BY.
v-visibility = Вы не можете дать записи такую видимость.
v-not-a-page = Такой страницы списка нет.
v-email = Это не адрес электронной почты.
v-email-taken = Учётная запись с таким адресом уже существует.
v-partner-restricted = Партнёры никогда не видят ограниченных данных.
v-last-admin = Нужен хотя бы один активный администратор.
v-disabled = Учётная запись отключена.
v-date-not-a-date = «{ $value }» — не дата. Введите год (2021), месяц (07.2021) или день (14.07.2021).
v-date-no-such-month = «{ $value }»: нет такого месяца.
v-date-no-such-day = «{ $value }»: нет такого дня в календаре.
v-date-out-of-range = «{ $value }» вне 1900–2100 годов.
v-max-chars = Не больше { $max } знаков.
v-max = Не больше { $max }.
v-min-chars = Не меньше { $min } знаков.
v-between = От { $low } до { $high }.
v-no-such = Нет такой записи: { $record }.
person-status-override-hint = Только если записи не могут этого показать (например, в изгнании или умер). Иначе статус следует из задержаний и приговоров.
person-status-derived = По записям
person-status-reason = Почему
cases = Уголовные дела
add-case = Добавить уголовное дело
form-add-case = Новое уголовное дело
form-edit-case = Редактировать уголовное дело
case-number = Номер дела
case-opened = Возбуждено
case-authority = Кем возбуждено
case-description = Описание
case-unnumbered = Дело без номера
admin-account = Учётная запись
admin-tokens-hint = Все токены API всех учётных записей. Токен показывается только при создании; здесь видно, что он может, когда им пользовались в последний раз, и его можно отозвать.
v-external-id-taken = Этот идентификатор в этой системе уже принадлежит другому человеку.
v-term-bounded = Не больше 1200 месяцев и 36500 дней.
login-throttled = { PLURAL($count) ->
    [one] Слишком много неудачных попыток. Попробуйте снова через { $count } минуту.
    [few] Слишком много неудачных попыток. Попробуйте снова через { $count } минуты.
   *[many] Слишком много неудачных попыток. Попробуйте снова через { $count } минут.
}
account-title = Ваша учётная запись
account-sessions = Сеансы
account-sessions-hint = Сеанс заканчивается через { $idle } мин без запросов и через { $hours } ч после входа. Если вы входили на компьютере, которым больше не пользуетесь, или думаете, что вошёл кто-то другой, завершите все сеансы, кроме этого.
account-end-other-sessions = Выйти из других сеансов
account-sessions-ended = Все другие сеансы вашей учётной записи завершены.
v-weak-password = Слишком легко угадать: распространённый пароль, имя или шаблон. Несколько необычных слов — хорошая парольная фраза.
account-password = Пароль
account-current-password = Текущий пароль
account-new-password = Новый пароль
account-password-hint = Не меньше 12 знаков; несколько необычных слов — хорошая парольная фраза, на любом языке. Другие ваши сеансы завершатся после смены.
account-change-password = Сменить пароль
account-password-changed = Пароль изменён; все другие сеансы вашей учётной записи завершены.
v-not-current-password = Это не ваш текущий пароль.
v-throttled = Слишком много неудачных попыток; попробуйте позже.
admin-security = Журнал безопасности
admin-security-hint = Входы и неудачные попытки, сеансы и пароли, изменения учётных записей и токенов, использование токенов (не чаще раза в минуту на токен) и просмотр ограниченных данных. Здесь никогда нет паролей, токенов или ограниченных значений, и ни одну запись нельзя изменить или удалить.
security-when = Когда
security-event = Событие
security-who = Кто
security-from = Откуда
security-subject = Касается
security-detail = Подробности
security-login = вошёл
security-login-failed = неудачный вход
security-login-throttled = вход приостановлен
security-logout = вышел
security-sessions-ended = другие сеансы завершены
security-password-changed = пароль изменён
security-account-created = учётная запись создана
security-account-changed = учётная запись изменена
security-token-created = токен создан
security-token-revoked = токен отозван
security-token-used = токен использован
security-export = экспорт
security-restricted-read = просмотр ограниченных данных
error-second-factor-required = Нужен второй фактор
error-second-factor-required-detail = Сначала включите второй фактор для своей учётной записи.
login-code-title = Введите код
login-code = Код
login-code-hint = Шесть цифр, которые ваше приложение-аутентификатор показывает для Docket, или один из кодов восстановления.
login-code-failed = Этот код неверен или уже использован. Дождитесь следующего или введите код восстановления.
login-code-start-again = Войти заново
second-factor-title = Второй фактор
second-factor-required = Ваша учётная запись должна входить со вторым фактором. Включите его, чтобы продолжить.
second-factor-intro = После пароля Docket попросит шестизначный код из приложения-аутентификатора на вашем телефоне (например, Aegis, FreeOTP, Google Authenticator или 1Password). Кто узнает ваш пароль, не войдёт без телефона.
second-factor-scan = Отсканируйте этот QR-код приложением:
second-factor-qr-label = QR-код, чтобы добавить Docket в приложение-аутентификатор
second-factor-key = Или введите в приложение этот ключ:
second-factor-confirm = Подтвердите кодом из приложения
second-factor-code = Код из приложения
second-factor-turn-on = Включить
second-factor-turned-on = Второй фактор включён. Все другие сеансы вашей учётной записи завершены.
second-factor-codes-intro = Храните эти коды восстановления в надёжном месте, не рядом с телефоном: каждый из них один раз позволяет войти, если телефон потерян. Они показываются только сейчас.
second-factor-codes = Коды восстановления
second-factor-codes-saved = Я их сохранил(а): дальше
second-factor-status = Состояние
second-factor-on-since = Включён с
second-factor-codes-left = { PLURAL($count) ->
    [one] { $count } неиспользованный код восстановления
    [few] { $count } неиспользованных кода восстановления
   *[many] { $count } неиспользованных кодов восстановления
}
second-factor-renew = Новые коды восстановления
second-factor-renew-hint = Старые коды восстановления перестанут действовать, а новые будут показаны один раз.
second-factor-codes-renewed = Созданы новые коды восстановления; старые больше не действуют.
second-factor-turn-off = Выключить второй фактор
second-factor-turned-off = Второй фактор выключен. Все другие сеансы вашей учётной записи завершены.
v-wrong-code = Это не тот код, который приложение показывает сейчас.
account-second-factor-on = Вы входите с кодом из приложения-аутентификатора.
account-second-factor-off = Вы входите только с паролем.
account-second-factor-manage = Второй фактор и коды восстановления
admin-second-factor-on = Входит с кодом из приложения-аутентификатора.
admin-second-factor-off = Второго фактора нет.
admin-second-factor-reset = Сбросить второй фактор
admin-second-factor-reset-hint = Для того, кто потерял телефон и коды восстановления: второй фактор и коды восстановления удаляются, и все сеансы учётной записи завершаются. Если учётная запись должна иметь второй фактор, при следующем входе нужно будет включить новый.
admin-second-factor-for-all = Все сотрудники должны входить со вторым фактором
admin-second-factor-for-all-hint = Администраторы должны всегда. Тех, у кого его нет, попросят включить его при следующем запросе.
admin-security-events = События
security-second-factor-enabled = второй фактор включён
security-second-factor-disabled = второй фактор выключен
security-second-factor-failed = неверный код второго фактора
security-second-factor-reset = второй фактор сброшен
security-recovery-code-used = использован код восстановления
security-recovery-codes-renewed = коды восстановления обновлены
security-settings-changed = настройки изменены
admin-your-password = Ваш текущий пароль
sort-closeness = Ближайшие
search-matched = совпало:
v-search-too-long = Не более 200 знаков: более длинных имён нет.
facets-total = { PLURAL($count) ->
    [one] Найдена { $count } персона: уточните
    [few] Найдено { $count } персоны: уточните
   *[many] Найдено { $count } персон: уточните
}
facet-status = Статус
facet-article = Статья
facet-article-short = Ст.
facet-facility = Учреждение
facet-organization = Организация
facet-region = Регион
facet-detention_year = Задержаны в
facet-recognized = Признаны
nav-search = Поиск в заметках
search-title = Поиск в заметках и источниках
search-words = Слова
search-words-hint = напр. избиение, "голодовка", Окрестина
search-submit = Искать
search-scope = Ищет в заметках о персонах и их записях, в заметках к ссылкам, в названиях и заметках источников, на английском, белорусском и русском: каждое слово должно встречаться, в любой форме; слова в кавычках должны идти подряд. Ограниченные поля не ищутся никогда.
search-found = { PLURAL($count) ->
    [one] Найден { $count } текст
    [few] Найдено { $count } текста
   *[many] Найдено { $count } текстов
}
search-in-title = название
v-text-too-long = Не более 200 знаков.
v-text-too-many-words = Не более 12 слов.
v-text-no-word = Введите хотя бы одно слово из двух и более букв.
v-text-only-common-words = Эти слова слишком частые для поиска (как «и» или «the»): добавьте слово, которое говорит больше.
v-no-such-page = Такой страницы нет.
action-merge = объединено
field-person = Персона
field-merged-into = Объединено с
duplicates-title = Возможные дубликаты
duplicates-intro = Пары записей, которые могут быть одной персоной, с причинами. Сравните и объедините или отметьте, что это две персоны: пара больше не предлагается.
duplicates-none = Возможных дубликатов нет.
duplicates-compare = Сравнить и объединить
duplicates-distinct = Две разные персоны
duplicate-names-alike = Имена пишутся одинаково: { $a } / { $b }
duplicate-shared-detention = Оба задержаны { $date }, { $facility }
duplicate-same-birth-date = Оба родились { $date }
duplicate-same-birth-year = Оба родились в { $year }
merge-title = Объединить две записи одной персоны
merge-action = Объединить с…
merge-with = Другая персона (адрес или id)
merge-keep = Оставить эту запись
merge-open = Открыть
merge-explain = Оставленная запись получает имена другой, id в других реестрах, заметки и недостающие сведения, а также все её записи; видимость — более строгая из двух. Адрес другой записи ведёт к оставленной. Всё есть в истории, и объединение можно отменить со страницы оставленной персоны.
merge-submit = Объединить
merge-no-such-person = Такой персоны нет: укажите адрес или id другой персоны.
merge-stale = Одна из записей изменилась после того, как вы открыли страницу. Сравните снова.
merged-here = Записи, объединённые с этой
merge-undo = Отменить объединение
