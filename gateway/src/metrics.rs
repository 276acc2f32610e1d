//! `GET /metrics`: the instance's metrics in Prometheus text format (`metrics-exporter-prometheus`). Requests by
//! route, operation and outcome code with their latency, recorded by a middleware; the database pool, the
//! jobs' backlogs and the password-hash queue, read when scraped. Each instance keeps its own recorder (not the
//! process-wide one), so several servers in one process do not mix their figures.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use crate::AppState;
use crate::request_log::RequestOutcome;

/// Latency buckets, in seconds: from a cached read to a slow submit.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Most distinct operation names kept as labels. Operation names are the client's to choose; past this many,
/// new ones are counted as `other`, so no client can grow the metrics without bound.
const MAX_OPERATIONS: usize = 200;

pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    operations: Mutex<HashSet<String>>,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let recorder = PrometheusBuilder::new().set_buckets(BUCKETS)?.build_recorder();
        let handle = recorder.handle();
        Ok(Self { recorder, handle, operations: Mutex::new(HashSet::new()) })
    }

    fn record<T>(&self, with: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&self.recorder, with)
    }

    /// The label of an operation name: itself while fewer than [`MAX_OPERATIONS`] are known, else `other`.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name else { return "none".to_owned() };
        let Ok(mut known) = self.operations.lock() else { return "other".to_owned() };
        if known.contains(name) || known.len() < MAX_OPERATIONS {
            known.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }
}

/// Counts every request and its latency, by route (the matched pattern, never the path with its ids),
/// operation and outcome (the first error's code, `OK`, or the status for answers without one).
pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await?;
    if let Some(state) = state {
        let outcome = response.response().extensions().get::<RequestOutcome>().cloned();
        let metrics = &state.metrics;
        let operation = metrics.operation_label(outcome.as_ref().and_then(|o| o.operation.as_deref()));
        let code = outcome.and_then(|o| o.code).unwrap_or_else(|| response.status().as_u16().to_string());
        let seconds = started.elapsed().as_secs_f64();
        metrics.record(|| {
            let labels = [("route", route), ("method", method), ("operation", operation), ("outcome", code)];
            metrics::counter!("borderless_http_requests_total", &labels).increment(1);
            let [route, method, operation, _] = labels;
            metrics::histogram!("borderless_http_request_duration_seconds", &[route, method, operation])
                .record(seconds);
        });
    }
    Ok(response)
}

/// `GET /metrics`.
pub async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.state();
    let backlogs = match state.jobs.backlogs(&state.job_context()).await {
        Ok(backlogs) => backlogs,
        Err(error) => {
            tracing::warn!("metrics: the jobs' backlogs could not be read: {error:#}");
            Vec::new()
        }
    };
    let hashing = state.services.get::<auth::PasswordHasher>().ok().map(auth::PasswordHasher::load);
    let metrics = Arc::clone(&state.metrics);
    metrics.record(|| {
        let in_use = pool.connections.saturating_sub(pool.idle_connections);
        metrics::gauge!("borderless_db_pool_connections", "state" => "in_use").set(f64::from(in_use));
        metrics::gauge!("borderless_db_pool_connections", "state" => "idle").set(f64::from(pool.idle_connections));
        metrics::gauge!("borderless_db_pool_max_connections").set(f64::from(state.pool.max_size()));
        for (job, waiting) in backlogs {
            metrics::gauge!("borderless_job_backlog", "job" => job).set(waiting as f64);
        }
        if let Some(load) = hashing {
            metrics::gauge!("borderless_password_hashes", "state" => "waiting").set(load.waiting as f64);
            metrics::gauge!("borderless_password_hashes", "state" => "running").set(load.running as f64);
        }
    });
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.handle.render())
}
