// Messages are read from `locales/` at compile time; a new file there must
// rebuild the crate as an edited one does.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
