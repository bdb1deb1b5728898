//! `kubeplan history`: what `kubectl rollout history` prints after the plan, byte for byte
//! (`polymorphichelpers/history.go`, `cmd/rollout/rollout_history.go`, the name printer, `DescribePodTemplate`).

use crate::rollout_util;

use rollout_util::*;

fn input() -> String {
    nodes(2, "4")
        + &daemonset("agent:v1", "{type: RollingUpdate}", "", "")
        + &deployment(2, "web:v1", "{type: RollingUpdate}", "", ", ports: [{containerPort: 80}]")
}

const STEPS: &str = "\
- {action: setImage, kind: DaemonSet, name: agent, container: agent, image: 'agent:v2', changeCause: 'kubectl set image ds/agent agent=agent:v2'}
- {action: setImage, kind: Deployment, name: web, container: web, image: 'web:v2', changeCause: 'kubectl set image deploy/web web=web:v2'}
";

fn history(flags: &str) -> kubeplan::cli::Outcome {
    let input = input();
    cli(&format!("history in.yaml --steps steps.yaml {flags}"), &[("in.yaml", &input), ("steps.yaml", STEPS)])
}

#[test]
fn every_workload_with_its_revisions_and_change_causes() {
    let out = history("");
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        "daemonset.apps/agent \n\
         REVISION  CHANGE-CAUSE\n\
         1         <none>\n\
         2         kubectl set image ds/agent agent=agent:v2\n\
         \n\
         deployment.apps/web \n\
         REVISION  CHANGE-CAUSE\n\
         1         <none>\n\
         2         kubectl set image deploy/web web=web:v2\n\
         \n"
    );
}

#[test]
fn one_workload_by_kind_and_name() {
    let out = history("--kind ds --name agent --namespace default");
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n"));
    assert!(!out.stdout.contains("deployment.apps/web"));
    let out = history("--kind deployments");
    assert!(out.stdout.starts_with("deployment.apps/web \n") && !out.stdout.contains("daemonset"));
}

#[test]
fn a_revision_is_its_pod_template_described() {
    let out = history("--kind Deployment --name web --revision 1");
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let rs =
        out.stdout.lines().nth(3).unwrap().strip_prefix("\tpod-template-hash=").expect("the hash label").to_owned();
    assert_eq!(
        out.stdout,
        format!(
            "deployment.apps/web with revision #1\n\
             Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash={rs}\n\
             \x20 Containers:\n   web:\n    Image:\tweb:v1\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n\
             \x20   Requests:\n      cpu:\t100m\n    Environment:\t<none>\n    Mounts:\t<none>\n\
             \x20 Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n"
        )
    );
    let out = history("--kind ds --name agent --revision 2");
    assert!(out.stdout.starts_with(
        "daemonset.apps/agent with revision #2\nPod Template:\n  Labels:\tapp=agent\n  Containers:\n   agent:\n    Image:\tagent:v2\n"
    ));
    let out = history("--kind deploy --name web --revision 2");
    assert!(out
        .stdout
        .contains("\n  Annotations:\tkubernetes.io/change-cause: kubectl set image deploy/web web=web:v2\n"));
}

#[test]
fn kubectls_errors() {
    let out = history("--kind ds --name agent --revision 9");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", "error: unable to find the specified revision\n")
    );
    let out = history("--kind ds --name nope");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "Error from server (NotFound): daemonsets.apps \"nope\" not found\n")
    );
    let out = history("--kind rs");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "error: no history viewer has been implemented for \"ReplicaSet.apps\"\n")
    );
    let out = history("--kind frobs");
    assert_eq!((out.code, out.stderr.as_str()), (1, "error: the server doesn't have a resource type \"frobs\"\n"));
    let out = history("--revision -2");
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error: revision must be a positive integer: -2\n"));
}

#[test]
fn a_deployment_created_paused_has_no_history() {
    let input = nodes(1, "4") + &deployment(1, "web:v1", "{type: RollingUpdate}", "  paused: true\n", "");
    let out = cli("history in.yaml", &[("in.yaml", &input)]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "deployment.apps/web \nNo rollout history found.\n"));
}
