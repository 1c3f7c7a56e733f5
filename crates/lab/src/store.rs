//! Small in-memory state the lab keeps for visitors (notes, login sessions),
//! keyed by a random token the visitor holds in a cookie. Bounded: past
//! `capacity` keys the least recently used is forgotten, so no visitor can
//! grow the lab's memory without limit.

use std::collections::HashMap;
use std::sync::Mutex;

pub struct Store<T> {
    capacity: usize,
    inner: Mutex<Inner<T>>,
}

struct Inner<T> {
    tick: u64,
    entries: HashMap<String, (T, u64)>,
}

impl<T> Store<T> {
    pub fn new(capacity: usize) -> Store<T> {
        Store { capacity, inner: Mutex::new(Inner { tick: 0, entries: HashMap::new() }) }
    }

    /// Runs `f` on the entry for `key`, if there is one (and marks it used).
    pub fn with<R>(&self, key: &str, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.get_mut(key).map(|(value, used)| {
            *used = tick;
            f(value)
        })
    }

    /// Runs `f` on the entry for `key`, first creating it with `make` if it
    /// is not there (e.g. forgotten a moment ago to make room).
    pub fn with_or<R>(&self, key: &str, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.entry(key.to_owned()).or_insert_with(|| (make(), tick));
        entry.1 = tick;
        f(&mut entry.0)
    }

    /// Stores `value` under a new random key, forgetting the least recently
    /// used entry when full; returns the key.
    pub fn insert(&self, value: T) -> String {
        let key = crate::random::token();
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.entries.len() >= self.capacity {
            if let Some(oldest) = inner.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) {
                inner.entries.remove(&oldest);
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.insert(key.clone(), (value, tick));
        key
    }

    pub fn remove(&self, key: &str) -> Option<T> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).entries.remove(key).map(|(v, _)| v)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_entry_goes_first() {
        let store = Store::new(2);
        let a = store.insert(1);
        let b = store.insert(2);
        assert_eq!(store.with(&a, |v| *v), Some(1));
        let c = store.insert(3);
        assert_eq!(store.len(), 2);
        assert!(store.with(&b, |_| ()).is_none(), "b was the least recently used");
        assert_eq!(store.with(&a, |v| *v), Some(1));
        assert_eq!(store.with(&c, |v| *v), Some(3));
        assert_ne!(a, c);
        assert_eq!(store.remove(&a), Some(1));
    }
}
