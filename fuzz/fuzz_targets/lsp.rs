//! Language server sessions: JSON-RPC message bodies separated by NUL bytes, handled in order (documents opened,
//! changed by ranges anywhere, code actions asked, shut down), and the same bytes through the stdio framing.
#![no_main]

use kubeplan::input::Source;
use kubeplan::lint::LintOptions;
use kubeplan::lsp::framing::Decoder;
use kubeplan::lsp::Server;
use kubeplan::facade::Budget;
use libfuzzer_sys::fuzz_target;

const NODES: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/hostname: n1}}\nstatus:\n  capacity: {cpu: '4', memory: 8Gi, pods: '110'}\n";

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else { return };
    let nodes = if options & 1 == 1 { vec![Source::new("nodes.yaml", NODES)] } else { Vec::new() };
    let budget = Budget { pods: 300, objects: 200, rounds: 200 };
    let mut server = Server::new(LintOptions { strict: options & 2 == 2, closed_world: options & 4 == 4, nodes, budget, namespace: None });
    for body in rest.split(|b| *b == 0) {
        for reply in server.handle(&String::from_utf8_lossy(body)) {
            serde_json::from_str::<serde_json::Value>(&reply).expect("every reply is JSON");
        }
        if server.exit_code().is_some() {
            break;
        }
    }
    let mut decoder = Decoder::new();
    decoder.push(rest);
    while decoder.next_message().is_some() {}
});
