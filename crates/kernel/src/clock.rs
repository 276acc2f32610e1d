use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use store::DbConnection;
use store::schema::service_clock;

/// The one source of "now" for every expiry and deadline, so tests can move time instead of waiting.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The service clock (`CLOCK`): real time, or real time plus an offset that only operator commands and tests
/// move (providers.md section 9).
pub enum ServiceClock {
    System,
    Manual(ManualClock),
}

impl Clock for ServiceClock {
    fn now(&self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Manual(clock) => clock.now(),
        }
    }
}

impl ServiceClock {
    /// A manual clock whose offset is read from the database it shares with every other process.
    pub fn manual(conn: &mut DbConnection) -> anyhow::Result<Self> {
        let clock = ManualClock { offset_ms: AtomicI64::new(0) };
        clock.refresh(conn)?;
        Ok(Self::Manual(clock))
    }

    pub fn is_manual(&self) -> bool {
        matches!(self, Self::Manual(_))
    }

    /// Takes up an advance another process (an operator command) made. Cheap, and a no-op for the system clock.
    pub fn refresh(&self, conn: &mut DbConnection) -> anyhow::Result<()> {
        match self {
            Self::System => Ok(()),
            Self::Manual(clock) => clock.refresh(conn),
        }
    }

    /// Moves a manual clock forward for every process sharing the database; the time it now shows.
    pub fn advance(&self, conn: &mut DbConnection, by: TimeDelta) -> anyhow::Result<DateTime<Utc>> {
        let Self::Manual(clock) = self else {
            anyhow::bail!("the clock can only be advanced with CLOCK=manual");
        };
        if by < TimeDelta::zero() {
            anyhow::bail!("the clock only moves forward");
        }
        // One statement, so two concurrent advances both count.
        let offset: i64 = diesel::update(service_clock::table.find(1))
            .set(service_clock::offset_ms.eq(service_clock::offset_ms + by.num_milliseconds()))
            .returning(service_clock::offset_ms)
            .get_result(conn)?;
        clock.offset_ms.fetch_max(offset, Ordering::SeqCst);
        Ok(self.now())
    }
}

/// Real time plus the offset last read from the database.
pub struct ManualClock {
    offset_ms: AtomicI64,
}

impl ManualClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    fn refresh(&self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let offset: i64 = service_clock::table.find(1).select(service_clock::offset_ms).first(conn)?;
        // The offset only grows; a stale read never moves the clock back.
        self.offset_ms.fetch_max(offset, Ordering::SeqCst);
        Ok(())
    }
}
