//! Where the lab keeps what it remembers for visitors (notes lists, login
//! sessions): in this process's memory ([`Store`], the default), or in Redis
//! (`--store redis://…`), which several lab processes behind one load
//! balancer share, so a learner's notes and login survive requests landing on
//! different processes.
//!
//! In Redis each entry is JSON under `roundtrip:<kind>:<key>` and expires
//! after its cookie would (`ttl`), renewed on each use. The quotas match the
//! in-memory store's: a client (IP address) owns at most `per_owner` entries
//! (a sorted set per client: one more forgets its own oldest), and the kind
//! at most `capacity` (a sorted set of all; when full, the oldest goes).
//! In memory "oldest" is the least recently used; in Redis, the first made. A change is read, made and
//! written back: two requests of the same learner arriving at the same
//! instant on two processes may overwrite each other's change (last one
//! wins); requests of different learners never touch the same entry.

use crate::store::Store;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the lab waits for Redis to connect or to answer one command.
/// Past it, the request is answered 503, and so is every stateful request
/// after it at once, until a PING (one a second) is answered again.
pub const REDIS_PATIENCE: Duration = Duration::from_secs(1);

/// A Redis server the lab shares with other lab processes.
#[derive(Clone)]
pub struct Redis {
    connection: redis::aio::ConnectionManager,
    url: String,
    /// Since when, and why, Redis is not answering (None: it is).
    down: Arc<Mutex<Option<(std::time::SystemTime, String)>>>,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redis({})", self.url)
    }
}

impl Redis {
    /// Connects (and checks with a PING), or says why not.
    pub async fn connect(url: &str) -> Result<Redis, String> {
        let client = redis::Client::open(url).map_err(|e| format!("--store {url}: {e}"))?;
        // One quick retry at most: a learner's request does not wait
        // through a reconnection's back-off (by default about 9.5 s).
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_PATIENCE))
            .set_response_timeout(Some(REDIS_PATIENCE))
            .set_number_of_retries(1)
            .set_max_delay(REDIS_PATIENCE / 10);
        let mut connection = tokio::time::timeout(Duration::from_secs(5), client.get_connection_manager_with_config(config))
            .await
            .map_err(|_| format!("--store {url}: no answer within 5 s"))?
            .map_err(|e| format!("--store {url}: {e}"))?;
        let pong: String = redis::cmd("PING").query_async(&mut connection).await.map_err(|e| format!("--store {url}: {e}"))?;
        if pong != "PONG" {
            return Err(format!("--store {url}: PING answered {pong:?}"));
        }
        Ok(Redis { connection, url: url.to_owned(), down: Arc::default() })
    }

    /// The connection, unless Redis is known not to be answering: then the
    /// request is refused at once, saying since when.
    fn connection(&self) -> Result<redis::aio::ConnectionManager, Unavailable> {
        match &*self.down.lock().unwrap_or_else(|e| e.into_inner()) {
            None => Ok(self.connection.clone()),
            Some((since, why)) => {
                let seconds = since.elapsed().map_or(0, |d| d.as_secs());
                Err(Unavailable(format!(
                    "Redis has not answered for {seconds} s ({why}); the lab asks it again every second and serves notes and logins as soon as it answers"
                )))
            }
        }
    }

    /// A command failed. If Redis did not answer (not connected, timed out),
    /// it is marked down, and a PING a second finds when it is back.
    fn failed(&self, e: redis::RedisError) -> Unavailable {
        let unreachable = e.is_io_error() || e.is_timeout() || e.is_connection_dropped() || e.is_connection_refusal();
        if unreachable {
            let mut down = self.down.lock().unwrap_or_else(|e| e.into_inner());
            if down.is_none() {
                *down = Some((std::time::SystemTime::now(), e.to_string()));
                tokio::spawn(self.clone().until_back());
            }
        }
        Unavailable(e.to_string())
    }

    /// PINGs once a second until Redis answers, then marks it up.
    async fn until_back(self) {
        let mut every = tokio::time::interval(REDIS_PATIENCE);
        loop {
            every.tick().await;
            let mut c = self.connection.clone();
            let ping = tokio::time::timeout(REDIS_PATIENCE, redis::cmd("PING").query_async::<String>(&mut c)).await;
            if matches!(ping, Ok(Ok(_))) {
                *self.down.lock().unwrap_or_else(|e| e.into_inner()) = None;
                return;
            }
        }
    }
}

/// The store could not be reached (Redis down): the request fails with 503.
#[derive(Debug)]
pub struct Unavailable(pub String);

pub enum Shared<T> {
    Memory(Store<T>),
    Redis { redis: Redis, kind: &'static str, ttl: Duration, capacity: usize, per_owner: usize },
}

/// A key as `random::token` makes them: 32 lowercase hex digits. Anything
/// else a cookie says names no entry (and never an index key).
pub fn is_token(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

impl<T: Serialize + DeserializeOwned> Shared<T> {
    pub fn memory(capacity: usize, per_owner: usize) -> Shared<T> {
        Shared::Memory(Store::new(capacity, per_owner))
    }

    pub fn redis(redis: Redis, kind: &'static str, ttl: Duration, capacity: usize, per_owner: usize) -> Shared<T> {
        Shared::Redis { redis, kind, ttl, capacity, per_owner }
    }

    /// An entry's Redis key: `roundtrip:<kind>:e:<token>`, apart from the
    /// indexes (`…:all`, `…:owner:<ip>`), whatever a cookie says.
    fn key(kind: &str, key: &str) -> String {
        format!("roundtrip:{kind}:e:{key}")
    }

    /// Whether `key` names an entry (and marks it used).
    pub async fn exists(&self, key: &str) -> Result<bool, Unavailable> {
        Ok(self.read(key, |_| ()).await?.is_some())
    }

    /// Runs `f` on the entry for `key`, if there is one (and marks it used).
    pub async fn read<R>(&self, key: &str, f: impl FnOnce(&T) -> R) -> Result<Option<R>, Unavailable> {
        match self {
            Shared::Memory(store) => Ok(store.with(key, |v| f(v))),
            Shared::Redis { redis, kind, ttl, .. } => {
                if !is_token(key) {
                    return Ok(None);
                }
                let mut c = redis.connection()?;
                let text: Option<String> = redis::cmd("GETEX")
                    .arg(Self::key(kind, key))
                    .arg("EX")
                    .arg(ttl.as_secs())
                    .query_async(&mut c)
                    .await
                    .map_err(|e| redis.failed(e))?;
                Ok(text.and_then(|t| serde_json::from_str::<T>(&t).ok()).map(|v| f(&v)))
            }
        }
    }

    /// Runs `f` on the entry for `key`, first creating it for `owner` with
    /// `make` if it is not there, within the quotas; the change is kept.
    pub async fn update<R>(
        &self,
        key: &str,
        owner: IpAddr,
        make: impl FnOnce() -> T,
        f: impl FnOnce(&mut T) -> R,
    ) -> Result<R, Unavailable> {
        match self {
            Shared::Memory(store) => Ok(store.with_or(key, owner, make, f)),
            Shared::Redis { redis, kind, ttl, .. } => {
                if !is_token(key) {
                    return Err(Unavailable(format!("{key:?} is not a key this lab made")));
                }
                let mut c = redis.connection()?;
                let text: Option<String> =
                    redis::cmd("GET").arg(Self::key(kind, key)).query_async(&mut c).await.map_err(|e| redis.failed(e))?;
                let mut value = match text.and_then(|t| serde_json::from_str::<T>(&t).ok()) {
                    Some(v) => v,
                    None => {
                        // Forgotten meanwhile (expired, or room made): made again, as in memory.
                        self.admit(key, owner).await?;
                        make()
                    }
                };
                let out = f(&mut value);
                Self::write(redis, kind, key, *ttl, &value).await?;
                Ok(out)
            }
        }
    }

    /// Stores `value` for `owner` under a new secret key, making room as the
    /// quotas say; returns the key.
    pub async fn insert(&self, owner: IpAddr, value: T) -> Result<String, Unavailable> {
        match self {
            Shared::Memory(store) => Ok(store.insert(owner, value)),
            Shared::Redis { redis, kind, ttl, .. } => {
                let key = crate::random::token();
                self.admit(&key, owner).await?;
                Self::write(redis, kind, &key, *ttl, &value).await?;
                Ok(key)
            }
        }
    }

    pub async fn remove(&self, key: &str) -> Result<(), Unavailable> {
        match self {
            Shared::Memory(store) => {
                store.remove(key);
                Ok(())
            }
            Shared::Redis { redis, kind, .. } => {
                if !is_token(key) {
                    return Ok(());
                }
                let mut c = redis.connection()?;
                redis::pipe()
                    .del(Self::key(kind, key))
                    .zrem(format!("roundtrip:{kind}:all"), key)
                    .query_async::<()>(&mut c)
                    .await
                    .map_err(|e| redis.failed(e))
            }
        }
    }

    /// Writes `value` as the entry `key`, living `ttl` from now.
    async fn write(redis: &Redis, kind: &str, key: &str, ttl: Duration, value: &T) -> Result<(), Unavailable> {
        let json = serde_json::to_string(value).map_err(|e| Unavailable(e.to_string()))?;
        redis::cmd("SET")
            .arg(Self::key(kind, key))
            .arg(json)
            .arg("EX")
            .arg(ttl.as_secs())
            .query_async::<()>(&mut redis.connection()?)
            .await
            .map_err(|e| redis.failed(e))
    }

    /// Counts `key` as `owner`'s and as one of the kind's, then forgets the
    /// least recently made past either quota (Redis only).
    async fn admit(&self, key: &str, owner: IpAddr) -> Result<(), Unavailable> {
        let Shared::Redis { redis, kind, ttl, capacity, per_owner } = self else { return Ok(()) };
        let mut c = redis.connection()?;
        let owned = format!("roundtrip:{kind}:owner:{}", owner);
        let all = format!("roundtrip:{kind}:all");
        let now = now_ms();
        let (mine, total): (usize, usize) = redis::pipe()
            .atomic()
            .zadd(&owned, key, now)
            .ignore()
            .expire(&owned, ttl.as_secs() as i64)
            .ignore()
            .zadd(&all, key, now)
            .ignore()
            .zcard(&owned)
            .zcard(&all)
            .query_async(&mut c)
            .await
            .map_err(|e| redis.failed(e))?;
        let mut forget: Vec<String> = Vec::new();
        if mine > *per_owner {
            let popped: Vec<(String, f64)> =
                redis::cmd("ZPOPMIN").arg(&owned).arg(mine - per_owner).query_async(&mut c).await.map_err(|e| redis.failed(e))?;
            forget.extend(popped.into_iter().map(|(k, _)| k));
        }
        if total > *capacity {
            let popped: Vec<(String, f64)> =
                redis::cmd("ZPOPMIN").arg(&all).arg(total - capacity).query_async(&mut c).await.map_err(|e| redis.failed(e))?;
            forget.extend(popped.into_iter().map(|(k, _)| k));
        }
        if !forget.is_empty() {
            let mut pipe = redis::pipe();
            for k in &forget {
                pipe.del(Self::key(kind, k)).ignore().zrem(&all, k).ignore();
            }
            pipe.query_async::<()>(&mut c).await.map_err(|e| redis.failed(e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_keys_the_lab_made_name_an_entry() {
        assert!(super::is_token(&crate::random::token()));
        for bad in ["all", "owner:127.0.0.1", "", "0123456789abcdef0123456789ABCDEF", "0123456789abcdef0123456789abcde", "../../x"] {
            assert!(!super::is_token(bad), "{bad}");
        }
        assert_eq!(super::Shared::<String>::key("session", "ab"), "roundtrip:session:e:ab");
    }
}
