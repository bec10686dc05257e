use crate::model::Model;
pub fn export(_m: &Model) -> String {
    String::new()
}
