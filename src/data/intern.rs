//! String interning for indicator names, dimension names and dimension
//! values: each distinct text is stored once and named by a `u32`.

use rustc_hash::FxHashMap;

/// Texts numbered in the order first seen.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    pub(crate) fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |name| name)
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// Dimension names, matched case-insensitively: keyed by the lowercase text,
/// shown as first spelled.
#[derive(Clone, Debug, Default)]
pub(crate) struct CaselessInterner {
    keys: Interner,
    spellings: Vec<Box<str>>,
}

impl CaselessInterner {
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        let id = self.keys.intern(&text.to_lowercase());
        if id as usize == self.spellings.len() {
            self.spellings.push(text.into());
        }
        id
    }

    pub(crate) fn get(&self, text: &str) -> Option<u32> {
        // Most names are already lower-case ASCII: no lowered copy needed.
        if text
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            return self.keys.get(text);
        }
        self.keys.get(&text.to_lowercase())
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        self.spellings.get(id as usize).map_or("", |name| name)
    }
}
