//! A steps file that kubeplan cannot follow gets a located error that says what is wrong and what was expected:
//! an unknown action or field, a missing field, a wrong type, a propagation that is not modelled.

use kubeplan::cli::{self, MemoryFiles};

const NODE: &str = "apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  capacity: {cpu: '4', memory: 8Gi, pods: '110'}
  conditions: [{type: Ready, status: 'True'}]
";

fn plan(steps: &str) -> cli::Outcome {
    let mut fs = MemoryFiles::default().with("nodes.yaml", NODE).with("steps.yaml", steps);
    let args = ["plan", "nodes.yaml", "--steps", "steps.yaml"].map(String::from);
    cli::run(&args, &mut fs)
}

/// The one error the steps file gets: exit status 2, and the line that says where and what.
fn error(steps: &str) -> String {
    let out = plan(steps);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().filter(|l| l.contains("invalid-step")).collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    lines[0].to_owned()
}

#[test]
fn an_unknown_action_lists_the_actions() {
    assert_eq!(
        error("- action: deletePods\n  name: x\n"),
        "steps.yaml:1:11: error[invalid-step]: step 1: unknown action \"deletePods\": expected one of deletePod, \
         deleteNode, deleteObject, labelNode, apply, setImage, rollbackTo (did you mean \"deletePod\"?)"
    );
    assert_eq!(
        error("- name: x\n"),
        "steps.yaml:1:3: error[invalid-step]: step 1: no action: expected `action:` one of deletePod, deleteNode, \
         deleteObject, labelNode, apply, setImage, rollbackTo"
    );
}

#[test]
fn an_unknown_or_missing_field_names_the_fields_of_the_action() {
    assert_eq!(
        error("- action: deleteNode\n  name: n1\n- {action: deleteNode, name: n1, nodes: [n2]}\n"),
        "steps.yaml:3:34: error[invalid-step]: step 2 (deleteNode): unknown field \"nodes\": expected action, name"
    );
    assert_eq!(
        error("- action: setImage\n  kind: Deployment\n  name: web\n  image: web:v2\n"),
        "steps.yaml:1:3: error[invalid-step]: step 1 (setImage): missing \"container\" (a string)"
    );
    assert_eq!(
        error("- action: deleteNode\n  name: n1\n  name: n2\n"),
        "steps.yaml:3:3: error[invalid-step]: step 1 (deleteNode): \"name\" written twice (first at line 2, column 3)"
    );
    assert_eq!(
        error("- action: deletePod\n  node: n1\n"),
        "steps.yaml:1:3: error[invalid-step]: step 1 (deletePod): needs \"name\" (one pod) or \"owner\" (Kind/name: \
         the pods it controls)"
    );
}

#[test]
fn a_wrong_type_says_what_was_expected() {
    assert_eq!(
        error("- action: rollbackTo\n  kind: Deployment\n  name: web\n  revision: two\n"),
        "steps.yaml:4:13: error[invalid-step]: step 1 (rollbackTo): \"revision\" must be an integer, found string"
    );
    assert_eq!(
        error("- action: labelNode\n  name: n1\n  labels: {zone: 1}\n"),
        "steps.yaml:3:11: error[invalid-step]: step 1 (labelNode): \"labels\" must be a mapping of label keys to \
         string values (null removes the label), found object"
    );
    assert_eq!(
        error("action: deleteNode\nname: n1\n"),
        "steps.yaml:1:1: error[invalid-step]: a steps file is a list of actions (`- action: deletePod`), found object"
    );
}

#[test]
fn only_the_modelled_propagations_are_accepted() {
    assert_eq!(
        error("- action: deleteObject\n  kind: Job\n  name: work\n  propagation: Foreground\n"),
        "steps.yaml:4:16: error[invalid-step]: step 1 (deleteObject): propagation \"Foreground\" is not modelled: \
         kubeplan deletes with Background (the default: the garbage collector deletes the dependents after the \
         object) or Orphan"
    );
    for propagation in ["Orphan", "Background"] {
        let out = plan(&format!("- action: deleteObject\n  kind: Job\n  name: work\n  propagation: {propagation}\n"));
        assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{propagation}");
    }
}

#[test]
fn a_well_formed_steps_file_plans_as_before() {
    let steps = "- action: labelNode\n  name: n1\n  labels: {zone: a, old: null}\n- action: deletePod\n  owner: DaemonSet/agent\n- action: deleteNode\n  name: n1\n";
    let out = plan(steps);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}
