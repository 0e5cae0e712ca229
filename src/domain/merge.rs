//! What merging two records of one person makes of their details, and
//! what undoing the merge takes back.

use super::person::{PersonFields, PersonName};

fn same_name(a: &PersonName, b: &PersonName) -> bool {
    a.name == b.name && a.lang == b.lang
}

/// Two texts as one: both, the kept one first, unless they are the same.
fn joined(kept: Option<String>, merged: Option<String>) -> Option<String> {
    match (kept, merged) {
        (Some(k), Some(m)) if k.trim() != m.trim() => Some(format!("{k}\n\n{m}")),
        (k, m) => k.or(m),
    }
}

/// The kept person's details with the merged person's added: its names
/// (not primary) and ids in other registries, its notes after the kept
/// ones, and any detail the kept person lacks. The stricter visibility of
/// the two, so nothing the merged person hid comes out.
pub fn merge(kept: PersonFields, merged: PersonFields) -> PersonFields {
    let mut names = kept.names;
    for name in merged.names {
        if !names.iter().any(|n| same_name(n, &name)) {
            names.push(PersonName {
                primary: false,
                ..name
            });
        }
    }
    let mut external_ids = kept.external_ids;
    for id in merged.external_ids {
        if !external_ids.contains(&id) {
            external_ids.push(id);
        }
    }
    PersonFields {
        names,
        external_ids,
        birth_date: kept.birth_date.or(merged.birth_date),
        gender: kept.gender.or(merged.gender),
        pronouns: kept.pronouns.or(merged.pronouns),
        occupation: kept.occupation.or(merged.occupation),
        region: kept.region.or(merged.region),
        visibility: kept.visibility.max(merged.visibility),
        notes: joined(kept.notes, merged.notes),
        restricted_notes: joined(kept.restricted_notes, merged.restricted_notes),
        status_override: kept.status_override.or(merged.status_override),
    }
}

/// Undoes what a merge did to the kept person's details (`before` and
/// `after` the merge) in `current`, leaving every change made since: the
/// names and ids it added go unless made primary since, and each detail
/// still as the merge left it is as it was before. The visibility stays as
/// it is: what was added under it while the two were one (notes edited,
/// records recorded) may come from the merged person, so only a person who
/// reads it decides to show it more widely.
pub fn unmerge(current: PersonFields, before: PersonFields, after: PersonFields) -> PersonFields {
    fn back<T: PartialEq>(current: T, before: T, after: T) -> T {
        if current == after { before } else { current }
    }
    let added: Vec<&PersonName> = after
        .names
        .iter()
        .filter(|n| !before.names.iter().any(|b| same_name(b, n)))
        .collect();
    let names = current
        .names
        .into_iter()
        .filter(|n| n.primary || !added.iter().any(|a| same_name(a, n)))
        .collect();
    let external_ids = current
        .external_ids
        .into_iter()
        .filter(|id| !after.external_ids.contains(id) || before.external_ids.contains(id))
        .collect();
    PersonFields {
        names,
        external_ids,
        birth_date: back(current.birth_date, before.birth_date, after.birth_date),
        gender: back(current.gender, before.gender, after.gender),
        pronouns: back(current.pronouns, before.pronouns, after.pronouns),
        occupation: back(current.occupation, before.occupation, after.occupation),
        region: back(current.region, before.region, after.region),
        visibility: current.visibility,
        notes: back(current.notes, before.notes, after.notes),
        restricted_notes: back(
            current.restricted_notes,
            before.restricted_notes,
            after.restricted_notes,
        ),
        status_override: back(
            current.status_override,
            before.status_override,
            after.status_override,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Visibility;
    use crate::domain::person::ExternalId;
    use crate::domain::person::tests::{fields as person, name};

    #[test]
    fn a_merge_adds_names_ids_notes_and_missing_details_and_hides_as_the_stricter() {
        let mut kept = person(vec![name("Ales Bialiatski", "en", true)]);
        kept.notes = Some("Chair of Viasna.".into());
        let mut merged = person(vec![
            name("Алесь Бяляцкі", "be", true),
            name("Ales Bialiatski", "en", false),
        ]);
        merged.notes = Some("Nobel prize 2022.".into());
        merged.region = Some("Minsk".into());
        merged.visibility = Visibility::Internal;
        merged.external_ids = vec![ExternalId {
            system: "viasna".into(),
            id: "42".into(),
        }];
        let m = merge(kept, merged);
        assert_eq!(
            m.names,
            [
                name("Ales Bialiatski", "en", true),
                name("Алесь Бяляцкі", "be", false)
            ]
        );
        assert_eq!(
            m.notes.as_deref(),
            Some("Chair of Viasna.\n\nNobel prize 2022.")
        );
        assert_eq!(m.region.as_deref(), Some("Minsk"));
        assert_eq!(m.visibility, Visibility::Internal);
        assert_eq!(m.external_ids.len(), 1);
    }

    #[test]
    fn undoing_a_merge_takes_back_what_it_added_and_keeps_later_changes() {
        let kept = person(vec![name("Ales Bialiatski", "en", true)]);
        let mut merged = person(vec![name("Алесь Бяляцкі", "be", true)]);
        merged.region = Some("Minsk".into());
        merged.occupation = Some("Historian".into());
        merged.external_ids = vec![ExternalId {
            system: "viasna".into(),
            id: "42".into(),
        }];
        let after = merge(kept.clone(), merged);
        // Since the merge: a name added, the occupation changed.
        let mut current = after.clone();
        current.names.push(name("Aleś Bialacki", "pl", false));
        current.occupation = Some("Writer".into());
        let undone = unmerge(current, kept, after);
        assert_eq!(
            undone.names,
            [
                name("Ales Bialiatski", "en", true),
                name("Aleś Bialacki", "pl", false)
            ]
        );
        assert_eq!(undone.region, None);
        assert_eq!(undone.occupation.as_deref(), Some("Writer"));
        assert!(undone.external_ids.is_empty());
    }

    #[test]
    fn undoing_a_merge_never_shows_the_kept_person_more_widely() {
        let kept = person(vec![name("Ihar Losik", "en", true)]);
        let mut merged = person(vec![name("Ігар Лосік", "be", true)]);
        merged.visibility = Visibility::Restricted;
        let after = merge(kept.clone(), merged);
        assert_eq!(after.visibility, Visibility::Restricted);
        let undone = unmerge(after.clone(), kept, after);
        assert_eq!(undone.visibility, Visibility::Restricted);
    }
}
