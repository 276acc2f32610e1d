use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use anyhow::anyhow;

/// Each domain's configuration and providers, wired once at start and shared by every request.
///
/// The kernel cannot name the domains' types, so they are kept by type: `services.get::<AuthConfig>()`.
#[derive(Default, Clone)]
pub struct Services {
    by_type: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl Services {
    pub fn with<T: Any + Send + Sync>(mut self, service: T) -> Self {
        self.by_type.insert(TypeId::of::<T>(), Arc::new(service));
        self
    }

    /// The wired service of type `T`, shared: for moving it into blocking work without copying it.
    pub fn shared<T: Any + Send + Sync>(&self) -> anyhow::Result<Arc<T>> {
        self.by_type
            .get(&TypeId::of::<T>())
            .and_then(|service| Arc::clone(service).downcast::<T>().ok())
            .ok_or_else(|| anyhow!("service {} is not wired", std::any::type_name::<T>()))
    }

    /// The wired service of type `T`; missing wiring is a bug, reported as an internal error.
    pub fn get<T: Any + Send + Sync>(&self) -> anyhow::Result<&T> {
        self.by_type
            .get(&TypeId::of::<T>())
            .and_then(|service| service.downcast_ref::<T>())
            .ok_or_else(|| anyhow!("service {} is not wired", std::any::type_name::<T>()))
    }
}
