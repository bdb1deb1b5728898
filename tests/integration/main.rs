//! Kubeplan's integration tests, in one test binary: each binary of its own links the whole engine, and the
//! forty-odd that `tests/` held took a large part of `make test`'s build (CI measures it against 40 minutes). A
//! module per file below, named as the file; the helpers they share once, beside them.
//!
//! A test's path begins with its file's name, so `cargo test --test integration scheduler_cycle::` runs one file's
//! tests (the filter matches any part of the path).

mod common;
mod conformance_cases;
mod memfs;
mod rollout_util;
mod validation_util;

mod api_warnings;
mod budget;
mod cli_duplicate_keys;
mod cli_explain;
mod cli_help;
mod cli_history;
mod cli_input_errors;
mod cli_namespace;
mod cli_nodes_table;
mod cli_steps;
mod cli_table_summary;
mod daemonset_status;
mod daemonset_surge;
mod daemonset_view;
mod defaults_core;
mod defaults_pod;
mod defaults_strategy;
mod defaults_workloads;
mod deployment_rollout;
mod garbage_collector;
mod hash_cases;
mod hash_vectors;
mod input_encoding;
mod input_json_stream;
mod job_controller;
mod kubelet_admission;
mod lint_suite;
mod lsp_session;
mod replicaset_controller;
mod replicaset_view;
mod rollout_rollback;
mod rollout_stalls;
mod rollout_status;
mod rollout_strategy;
mod scheduler_affinity;
mod scheduler_configuration;
mod scheduler_cycle;
mod scheduler_preemption;
mod scheduler_spread;
mod scheduler_volumes;
mod service_endpoints;
mod statefulset_controller;
mod validation_conformance;
mod validation_rules;
mod yaml_readers;
