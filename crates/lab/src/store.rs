//! Small in-memory state the lab keeps for visitors (notes, login sessions),
//! keyed by a random token the visitor holds in a cookie. Bounded twice:
//! past `capacity` keys an entry is forgotten, and each client (IP address)
//! may own at most `per_owner` of them. A client at its quota that makes one
//! more forgets its own least recently used; when the store is full, the
//! entry forgotten is the least recently used of the client that owns the
//! most. So one client making thousands cannot push anyone else out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

pub struct Store<T> {
    capacity: usize,
    per_owner: usize,
    inner: Mutex<Inner<T>>,
}

struct Entry<T> {
    value: T,
    used: u64,
    owner: IpAddr,
}

struct Inner<T> {
    tick: u64,
    entries: HashMap<String, Entry<T>>,
    owned: HashMap<IpAddr, usize>,
}

impl<T> Inner<T> {
    /// Makes room for one more entry of `owner`.
    fn admit(&mut self, owner: IpAddr, capacity: usize, per_owner: usize) {
        let mine = self.owned.get(&owner).copied().unwrap_or(0);
        let evict_from = if mine >= per_owner {
            Some(owner)
        } else if self.entries.len() >= capacity {
            self.owned.iter().max_by_key(|(_, n)| **n).map(|(o, _)| *o)
        } else {
            None
        };
        if let Some(from) = evict_from {
            let oldest = self.entries.iter().filter(|(_, e)| e.owner == from).min_by_key(|(_, e)| e.used).map(|(k, _)| k.clone());
            if let Some(key) = oldest {
                self.remove(&key);
            }
        }
    }

    fn put(&mut self, key: String, value: T, owner: IpAddr) -> &mut Entry<T> {
        self.tick += 1;
        *self.owned.entry(owner).or_insert(0) += 1;
        let used = self.tick;
        self.entries.entry(key).or_insert(Entry { value, used, owner })
    }

    fn remove(&mut self, key: &str) -> Option<T> {
        let entry = self.entries.remove(key)?;
        if let Some(n) = self.owned.get_mut(&entry.owner) {
            *n -= 1;
            if *n == 0 {
                self.owned.remove(&entry.owner);
            }
        }
        Some(entry.value)
    }
}

impl<T> Store<T> {
    pub fn new(capacity: usize, per_owner: usize) -> Store<T> {
        Store { capacity, per_owner, inner: Mutex::new(Inner { tick: 0, entries: HashMap::new(), owned: HashMap::new() }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<T>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the entry for `key`, if there is one (and marks it used).
    pub fn with<R>(&self, key: &str, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.get_mut(key).map(|e| {
            e.used = tick;
            f(&mut e.value)
        })
    }

    /// Runs `f` on the entry for `key`, first creating it for `owner` with
    /// `make` if it is not there (e.g. forgotten a moment ago to make room),
    /// within the same quotas as [`Store::insert`].
    pub fn with_or<R>(&self, key: &str, owner: IpAddr, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let mut inner = self.lock();
        if !inner.entries.contains_key(key) {
            inner.admit(owner, self.capacity, self.per_owner);
            inner.put(key.to_owned(), make(), owner);
        }
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.get_mut(key).expect("just made");
        entry.used = tick;
        f(&mut entry.value)
    }

    /// Stores `value` for `owner` under a new secret key (see
    /// `random::token`), making room as the quotas say; returns the key.
    pub fn insert(&self, owner: IpAddr, value: T) -> String {
        let key = crate::random::token();
        let mut inner = self.lock();
        inner.admit(owner, self.capacity, self.per_owner);
        inner.put(key.clone(), value, owner);
        key
    }

    pub fn remove(&self, key: &str) -> Option<T> {
        self.lock().remove(key)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 3));

    #[test]
    fn the_least_recently_used_entry_goes_first() {
        let store = Store::new(2, 10);
        let a = store.insert(A, 1);
        let b = store.insert(A, 2);
        assert_eq!(store.with(&a, |v| *v), Some(1));
        let c = store.insert(A, 3);
        assert_eq!(store.len(), 2);
        assert!(store.with(&b, |_| ()).is_none(), "b was the least recently used");
        assert_eq!(store.with(&a, |v| *v), Some(1));
        assert_eq!(store.with(&c, |v| *v), Some(3));
        assert_ne!(a, c);
        assert_eq!(store.remove(&a), Some(1));
    }

    #[test]
    fn one_owner_making_thousands_forgets_only_its_own() {
        let store = Store::new(100, 10);
        let theirs: Vec<String> = (0..5).map(|i| store.insert(B, i)).collect();
        for i in 0..5000 {
            store.insert(A, i);
        }
        assert!(theirs.iter().all(|k| store.with(k, |_| ()).is_some()), "B's entries survive A's flood");
        assert_eq!(store.len(), 15, "A holds its quota of 10");
        // Full: the owner with the most gives one up.
        let store = Store::new(4, 3);
        let b1 = store.insert(B, 0);
        for i in 0..3 {
            store.insert(A, i);
        }
        store.insert(B, 9);
        assert!(store.with(&b1, |_| ()).is_some());
        assert_eq!(store.len(), 4);
    }
}
