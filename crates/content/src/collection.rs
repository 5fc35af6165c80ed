//! An ordered, id-indexed list of one kind of item.

use std::collections::HashMap;

use crate::model::Item;

/// The items of one kind in content order (files sorted by path, items in file order), with
/// lookup by id.
///
/// Only built from validated content, so ids are unique and every reference between items
/// resolves.
#[derive(Debug, Clone)]
pub struct Collection<T> {
    items: Vec<T>,
    index: HashMap<String, usize>,
}

impl<T: Item> Collection<T> {
    pub(crate) fn new(items: Vec<T>) -> Self {
        let mut index = HashMap::with_capacity(items.len());
        for (position, item) in items.iter().enumerate() {
            // Keep the first on a duplicate, matching validation, which reports the second.
            index.entry(item.id().to_owned()).or_insert(position);
        }
        Self { items, index }
    }

    /// The item with this id.
    pub fn by_id(&self, id: &str) -> Option<&T> {
        self.position(id).map(|position| &self.items[position])
    }

    /// Where the item with this id sits in content order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether an item has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }
}

impl<T> Collection<T> {
    /// The items in content order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The items in content order.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<'a, T> IntoIterator for &'a Collection<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
