## Layout
skip-to-content = Skip to content
nav-label = Main
nav-dashboard = Overview
nav-persons = Persons
nav-new-person = New person
log-out = Log out
language = Language
language-switch = Switch
language-en = English
language-be = Беларуская
language-ru = Русский
back-to-dashboard = Back to the overview

## Words used everywhere
any = Any
yes = Yes
no = No
edit = Edit
save = Save
cancel = Cancel
show = Show
as-of = As of
ongoing = ongoing
none-recorded = None recorded.
sort = Order
sort-name = By name
sort-updated = Recently changed
sort-created = Recently added
filter-apply = Apply
filter-clear = Clear
filter-invalid = Some filters are not valid; correct them to see the list.
form-has-errors = The form has errors; nothing was saved. See the fields marked below.
pager = Pages
pager-previous = Previous
pager-next = Next
pager-page = Page { $page }
field-visibility = Visibility

## Dates
date-approximate = c. { $date }
date-hint = A year (2021), a month (2021-07 or 07.2021) or a day (2021-07-14 or 14.07.2021).
date-approximate-label = Approximate
date-day-format = Write the day as YYYY-MM-DD.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-1-of = January
month-2-of = February
month-3-of = March
month-4-of = April
month-5-of = May
month-6-of = June
month-7-of = July
month-8-of = August
month-9-of = September
month-10-of = October
month-11-of = November
month-12-of = December
term-years = { $count ->
    [one] { $count } year
   *[other] { $count } years
}
term-months = { $count ->
    [one] { $count } month
   *[other] { $count } months
}
term-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}

## Login
login-title = Log in to Docket
login-email = Email
login-password = Password
login-submit = Log in
login-failed = The email or the password is wrong, or the account is disabled.

## Overview
dashboard-title = Overview
dashboard-as-of = Figures for { $date }.
dashboard-held = { $count ->
    [one] person deprived of liberty
   *[other] people deprived of liberty
}
dashboard-held-recognized = { $count ->
    [one] of them recognised as a political prisoner
   *[other] of them recognised as political prisoners
}
dashboard-total = { $count ->
    [one] person in the registry
   *[other] people in the registry
}
dashboard-by-status = By status
dashboard-latest = Latest changes
dashboard-no-changes = No changes yet.

## Persons
persons-title = Persons
persons-search = Name, in any script
persons-search-hint = e.g. Bialiatski or Бяляцкі
persons-held = Deprived of liberty
persons-recognized = Recognised
persons-organization = Organisation
persons-detained-from = Detained from
persons-detained-to = Detained until
persons-none = No persons match these filters.
person-name = Name
person-names = Names
person-names-hint = Every written form of the name: Belarusian, Russian, Latin spellings. Mark the one to show first.
person-name-lang = Language
person-family-name = Family name
person-name-primary = Shown first
person-status = Status
person-birth-date = Born
person-gender = Gender
person-pronouns = Pronouns
person-occupation = Occupation
person-region = Region
person-identity = About the person
person-notes = Internal notes
person-restricted-notes = Restricted notes
person-restricted-hint = Seen only by staff with restricted clearance; stored encrypted.
person-new-title = New person
person-edit-title = Edit person
status-on = on { $date }
status-uncertain = rests on a date not known to the day
recognitions = Recognitions
affiliations = Affiliations
detentions = Detentions
detention-facility = Facility
detention-authority = Authority
charges = Charges
charge-article = Article
article-short = Art.
article-part = part
criminal-case = Criminal case
criminal-case-unknown = Criminal case not recorded
sentences = Sentences
sentence-charges = For
sentence-expected-release = Term ends
sentence-released-on = Released
sentence-in-absentia = in absentia

## Two edits of the same record
conflict-title = Someone else changed this person while you were editing
conflict-explain = { $author } saved a change on { $at }. Nothing of yours was saved yet.
conflict-theirs = Saved now
conflict-yours = Yours (not saved)
conflict-next = Your version is still in the form below. Check it against theirs, then save again to replace theirs, or cancel to keep it.

## Vocabularies
role-viewer = viewer
role-editor = editor
role-admin = admin
visibility-public = Public
visibility-internal = Internal
visibility-restricted = Restricted
gender-female = Female
gender-male = Male
gender-other = Other
status-short-term = Short-term detention
status-administrative-arrest = Administrative arrest
status-pre-trial = Pre-trial detention
status-house-arrest = House arrest
status-compulsory-treatment = Compulsory treatment
status-imprisoned = Imprisoned
status-released = Released
status-in-exile = In exile
status-deceased = Deceased
status-at-liberty = At liberty
status-unknown = Unknown
detention-kind-short-term = Short-term detention
detention-kind-administrative-arrest = Administrative arrest
detention-kind-pre-trial = Pre-trial detention
detention-kind-house-arrest = House arrest
detention-kind-imprisonment = Imprisonment
detention-kind-compulsory-treatment = Compulsory treatment
end-reason-released = released
end-reason-transferred = transferred
end-reason-sentenced = sentenced
end-reason-pardoned = pardoned
end-reason-amnestied = amnestied
end-reason-term-served = term served
end-reason-died = died
end-reason-exiled = exiled
charge-status-suspected = Suspected
charge-status-charged = Charged
charge-status-convicted = Convicted
charge-status-acquitted = Acquitted
charge-status-dropped = Dropped
charge-status-amnestied = Amnestied
sentence-kind-imprisonment = Imprisonment
sentence-kind-restriction-of-freedom = Restriction of freedom
sentence-kind-administrative-arrest = Administrative arrest
sentence-kind-fine = Fine
sentence-kind-death-penalty = Death penalty
sentence-kind-other = Other
regime-general = general regime
regime-reinforced = reinforced regime
regime-strict = strict regime
regime-special = special regime
regime-prison = prison
action-create = added
action-update = changed
action-archive = archived
action-restore = restored
record-person = person
record-detention = detention
record-charge = charge
record-sentence = sentence
record-recognition = recognition
record-affiliation = affiliation
record-citation = source
record-source = source
record-case = criminal case
record-facility = facility
record-organization = organisation

## Errors
error-malformed-request = The request was not understood
error-malformed-request-detail = Go back and try again.
error-unauthorized = Log in to continue
error-unauthorized-detail = Your session has ended.
error-forbidden = Not allowed
error-forbidden-detail = Your role does not allow this, or the form came from another site or has expired. Reload the page and try again.
error-not-found = Not found
error-not-found-detail = There is no such page or record, or you may not see it.
error-method-not-allowed = Not allowed here
error-method-not-allowed-detail = This address does not accept that request.
error-conflict = Conflict
error-conflict-detail = The record was changed by someone else.
error-stale-version = The record has changed
error-stale-version-detail = Someone changed it since you opened it. Open it again.
error-if-match-required = Version missing
error-if-match-required-detail = Open the record again and repeat the change.
error-body-too-large = Too much text
error-body-too-large-detail = The form is too large to save.
error-unsupported-media-type = Form not understood
error-unsupported-media-type-detail = Send the form from the page.
error-invalid-input = Invalid input
error-invalid-input-detail = Some fields are not valid.
error-unavailable = Temporarily unavailable
error-unavailable-detail = The database cannot be reached; try again in a moment. Nothing was lost.
error-internal = Something went wrong
error-internal-detail = It has been logged. Nothing you saved before is lost.

## Records of a case
history = History
add-detention = Add detention
add-charge = Add charge
add-sentence = Add sentence
add-recognition = Add recognition
add-affiliation = Add affiliation
cite-source = Cite a source
form-add-detention = New detention
form-edit-detention = Edit detention
form-add-charge = New charge
form-edit-charge = Edit charge
form-add-sentence = New sentence
form-edit-sentence = Edit sentence
form-add-recognition = New recognition
form-edit-recognition = Edit recognition
form-add-affiliation = New affiliation
form-edit-affiliation = Edit affiliation
form-add-citation = Cite a source
form-edit-citation = Edit citation
conflict-record-title = Someone else changed this record while you were editing
archive = Archive
archive-confirm = Archive this record? It stays in the history and can be restored there.
archive-hint = The record leaves the case; the history keeps it.
field-notes = Internal notes
field-internal-hint = Seen by staff only, never by partners.
field-since = Since
field-until = Until
detention-kind = Kind
detention-started = Started
detention-ended = Ended
detention-ended-hint = Leave empty while the detention goes on.
detention-end-reason = How it ended
charge-part = Part
charge-part-hint = As the code numbers it, e.g. 2.
charge-status = Stage
charge-filed = Charged on
charge-status-since = Stage since
charge-detention = During detention
article-search = Number or words of the title
article-find = Find
article-none-found = No article matches.
article-pick-hint = Type the number (342) or words of the title, then choose the article and code edition.
sentence-kind = Kind
sentence-pronounced = Pronounced on
sentence-court = Court
sentence-judge = Judge
sentence-term-years = Term: years
sentence-term-months = Term: months
sentence-term-days = Term: days
sentence-regime = Regime
sentence-covers = Charges it covers
sentence-facility = Where it is served
sentence-fine-units = Fine in basic amounts
sentence-fine-amount = Fine amount
sentence-currency = Currency
sentence-currency-hint = ISO code, e.g. BYN.
sentence-appeal-outcome = Appeal outcome
recognition-organization = Recognised by
recognition-statement = Statement
affiliation-organization = Organisation
affiliation-role = Role
citation-for = Source for
citation-source = Source
citation-note = What the source says
legal-code-criminal-code = Criminal Code
legal-code-administrative-code-2003 = Code of Administrative Offences (2003)
legal-code-administrative-code-2021 = Code of Administrative Offences (2021)
date-hint-short = 2021, 07.2021 or 14.07.2021
history-none = No changes recorded.
history-field = Field
history-before = Before
history-after = After
history-older = Older changes
history-linked-record = a linked record
history-restore-version = Restore this version
history-restore-record = Restore the record
history-restore-confirm = Restore this version? It becomes a new change in the history, with your name.
history-restore-failed = This version cannot be restored as it was:
face-api = through the API
face-web = in the workspace
face-cli = from the command line
face-import = by import
person-external-ids = External ids
person-status-override = Status set by hand
charge-case = Criminal case
sentence-fine-basic-units = Fine in basic amounts
sentence-charge-ids = Charges it covers
recognition-source = Statement

## Accounts and tokens
nav-admin = Accounts
admin-accounts = Accounts
admin-name = Name
admin-kind = Kind
admin-role = Role
admin-restricted = Restricted clearance
admin-restricted-hint = May read and write restricted values (staff only, never through a token).
admin-state = State
admin-enabled = enabled
admin-disabled = Disabled
admin-disabled-hint = A disabled account cannot log in, and its tokens stop working at once.
admin-new-account = New account
admin-staff-hint = logs in to the workspace
admin-partner-hint = an organisation that uses the API with tokens
admin-password-hint = At least 12 characters. Leave empty to have one generated and shown once.
admin-create = Create account
admin-access = Access
admin-tokens = API tokens
admin-scope = Scope
admin-scope-hint = read:public sees public fields only; read:internal also internal ones; write may change cases (editors and admins).
admin-created = Created
admin-expires = Expires
admin-expires-days = Days until it expires
admin-last-used = Last used
admin-revoke = Revoke
admin-revoke-confirm = Revoke this token? Requests with it are refused from now on.
admin-token-live = live
admin-token-revoked = revoked
admin-token-expired = expired
admin-new-token = New token
admin-create-token = Create token
admin-secret = Copy it now
admin-password-shown-once = The password is shown only this once. Give it to the person over a safe channel.
admin-token-shown-once = The token is shown only this once; only its hash is kept. Give it to the partner over a safe channel.
admin-done = Done
account-kind-staff = Staff
account-kind-partner = Partner
