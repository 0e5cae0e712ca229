-- Synthetic cases for the benchmark: 100,000 persons with 1–4 names in
-- Latin and Cyrillic, about 250,000 detentions, 400,000 charges over the
-- article catalogue (skewed as real registries are: a few articles carry
-- most charges), 60,000 sentences. Run by bench/generate.sh against a
-- migrated, empty database, as its owner, before names.sql and
-- records.sql (each run in two halves at once). Deterministic: setseed.
\set ON_ERROR_STOP on
SELECT setseed(0.42);

BEGIN;

-- Reference data.
INSERT INTO facilities (id, name, kind, city)
SELECT gen_random_uuid(), 'Facility No. ' || g,
       (ARRAY['detention_centre', 'pre_trial_centre', 'penal_colony', 'prison']::facility_kind[])[1 + g % 4],
       (ARRAY['Minsk', 'Homiel', 'Mahilioŭ', 'Viciebsk', 'Hrodna', 'Brest'])[1 + g % 6]
  FROM generate_series(1, 40) g;
INSERT INTO organizations (id, name, kind)
SELECT gen_random_uuid(), o, 'ngo' FROM unnest(ARRAY['Viasna', 'BAJ', 'Amnesty', 'Memorial']) o;

-- Given and family names: Belarusian Cyrillic, Latin (national system),
-- Russian Cyrillic.
CREATE UNLOGGED TABLE bench_given (i int, be text, lat text, ru text);
INSERT INTO bench_given SELECT row_number() OVER (), * FROM (VALUES
    ('Алесь', 'Aleś', 'Алесь'), ('Мікалай', 'Mikalaj', 'Николай'), ('Сяргей', 'Siarhiej', 'Сергей'),
    ('Андрэй', 'Andrej', 'Андрей'), ('Уладзімір', 'Uladzimir', 'Владимир'), ('Павел', 'Paviel', 'Павел'),
    ('Ігар', 'Ihar', 'Игорь'), ('Дзмітрый', 'Dzmitryj', 'Дмитрий'), ('Віктар', 'Viktar', 'Виктор'),
    ('Юрый', 'Jury', 'Юрий'), ('Максім', 'Maksim', 'Максим'), ('Аляксей', 'Aliaksiej', 'Алексей'),
    ('Марыя', 'Maryja', 'Мария'), ('Вольга', 'Volha', 'Ольга'), ('Ганна', 'Hanna', 'Анна'),
    ('Наталля', 'Natallia', 'Наталья'), ('Алена', 'Alena', 'Елена'), ('Кацярына', 'Kaciaryna', 'Екатерина'),
    ('Таццяна', 'Tacciana', 'Татьяна'), ('Святлана', 'Sviatlana', 'Светлана'), ('Ірына', 'Iryna', 'Ирина'),
    ('Юлія', 'Julija', 'Юлия'), ('Дар''я', 'Darja', 'Дарья'), ('Ксенія', 'Ksienija', 'Ксения')
) AS v (be, lat, ru);
CREATE UNLOGGED TABLE bench_family (i int, be text, lat text, ru text);
INSERT INTO bench_family SELECT row_number() OVER (), * FROM (VALUES
    ('Бяляцкі', 'Bialiacki', 'Беляцкий'), ('Статкевіч', 'Statkievič', 'Статкевич'),
    ('Калеснікава', 'Kalesnikava', 'Колесникова'), ('Лосік', 'Losik', 'Лосик'),
    ('Лабковіч', 'Labkovič', 'Лобкович'), ('Сцяпанаў', 'Sciapanaŭ', 'Степанов'),
    ('Знак', 'Znak', 'Знак'), ('Бабарыка', 'Babaryka', 'Бабарико'), ('Цiханоўскі', 'Cichanoŭski', 'Тихановский'),
    ('Марцiнкевіч', 'Marcinkievič', 'Мартинкевич'), ('Шчарбак', 'Ščarbak', 'Щербак'),
    ('Жук', 'Žuk', 'Жук'), ('Кавалёў', 'Kavalioŭ', 'Ковалёв'), ('Новік', 'Novik', 'Новик'),
    ('Мельнік', 'Mieĺnik', 'Мельник'), ('Шаўчэнка', 'Šaŭčenka', 'Шевченко'), ('Бондар', 'Bondar', 'Бондарь'),
    ('Грыгор''еў', 'Hryhorjeŭ', 'Григорьев'), ('Пятроў', 'Piatroŭ', 'Петров'), ('Сідарэнка', 'Sidarenka', 'Сидоренко'),
    ('Казлоў', 'Kazloŭ', 'Козлов'), ('Марозаў', 'Marozaŭ', 'Морозов'), ('Лявонаў', 'Liavonaŭ', 'Леонов'),
    ('Гурскі', 'Hurski', 'Гурский'), ('Дашкевіч', 'Daškievič', 'Дашкевич'), ('Зайцаў', 'Zajcaŭ', 'Зайцев')
) AS v (be, lat, ru);
-- And 4,000 more, made of two syllables and an ending, as Belarusian
-- family names are: most persons' names differ.
INSERT INTO bench_family
SELECT 26 + row_number() OVER (), upper(left(a.be || b.be || e.be, 1)) || substr(a.be || b.be || e.be, 2),
       initcap(a.lat || b.lat || e.lat), upper(left(a.ru || b.ru || e.ru, 1)) || substr(a.ru || b.ru || e.ru, 2)
  FROM (VALUES ('ба', 'ba', 'бо'), ('ва', 'va', 'во'), ('да', 'da', 'до'), ('ла', 'la', 'ло'),
               ('ма', 'ma', 'мо'), ('на', 'na', 'но'), ('ра', 'ra', 'ро'), ('са', 'sa', 'со'),
               ('та', 'ta', 'то'), ('ка', 'ka', 'ко'), ('ві', 'vi', 'ви'), ('лі', 'li', 'ли'),
               ('мі', 'mi', 'ми'), ('ры', 'ry', 'ры'), ('гу', 'hu', 'гу'), ('ку', 'ku', 'ку'),
               ('ту', 'tu', 'ту'), ('шы', 'šy', 'шы'), ('жа', 'ža', 'жо'), ('ча', 'ča', 'чо')) AS a (be, lat, ru)
 CROSS JOIN (VALUES ('ба', 'ba', 'бо'), ('ва', 'va', 'во'), ('да', 'da', 'до'), ('ла', 'la', 'ло'),
               ('ма', 'ma', 'мо'), ('на', 'na', 'но'), ('ра', 'ra', 'ро'), ('са', 'sa', 'со'),
               ('та', 'ta', 'то'), ('ка', 'ka', 'ко'), ('ві', 'vi', 'ви'), ('лі', 'li', 'ли'),
               ('мі', 'mi', 'ми'), ('ры', 'ry', 'ры'), ('гу', 'hu', 'гу'), ('ку', 'ku', 'ку'),
               ('ту', 'tu', 'ту'), ('шы', 'šy', 'шы'), ('жа', 'ža', 'жо'), ('ча', 'ča', 'чо')) AS b (be, lat, ru)
 CROSS JOIN (VALUES ('шэвіч', 'ševič', 'шевич'), ('енка', 'enka', 'енко'), ('скі', 'ski', 'ский'),
               ('чык', 'čyk', 'чик'), ('онак', 'onak', 'онок'), ('овіч', 'ovič', 'ович'),
               ('ук', 'uk', 'ук'), ('ёў', 'joŭ', 'ёв'), ('ін', 'in', 'ин'), ('ец', 'ec', 'ец')) AS e (be, lat, ru);

-- Persons: most public, some internal, a few restricted. Each gets a
-- given name, a family name and a number that keeps the name apart (as
-- a patronymic would), so that names are alike but not all the same.
CREATE UNLOGGED TABLE bench_p AS
SELECT g AS n, gen_random_uuid() AS id,
       1 + (random() * 23)::int AS gi,
       -- One in four has one of the common names.
       CASE WHEN random() < 0.25 THEN 1 + (random() * 25)::int ELSE 27 + (random() * 3999)::int END AS fi,
       floor(random() * 4)::int AS variants,
       random() AS r
  FROM generate_series(1, 100000) g;
CREATE UNLOGGED TABLE bench_articles AS
SELECT array_agg(id ORDER BY (number = '342') DESC, (number LIKE '361%') DESC, code, number) AS ids
  FROM articles;
INSERT INTO persons (id, birth_date, gender, region, visibility, notes)
SELECT p.id,
       CASE WHEN p.r < 0.6 THEN ROW(make_date(1950 + (p.r * 90)::int % 55, 1, 1), 'year', false)::partial_date
            WHEN p.r < 0.9 THEN ROW(make_date(1950 + (p.r * 90)::int % 55, 1 + p.n % 12, 1 + p.n % 28), 'day', false)::partial_date
       END,
       CASE WHEN p.gi > 12 THEN 'female' ELSE 'male' END::gender,
       (ARRAY['Minsk', 'Homiel', 'Mahilioŭ', 'Viciebsk', 'Hrodna', 'Brest'])[1 + p.n % 6],
       CASE WHEN p.r < 0.8 THEN 'public' WHEN p.r < 0.98 THEN 'internal' ELSE 'restricted' END::visibility,
       CASE WHEN p.n % 5 = 0 THEN 'Detained after the protest; held at the detention centre, beaten in the van.' END
  FROM bench_p p;
COMMIT;
