"""Relevance, required and readonly as ODK engines apply them.

Sources: ODK XForms spec (Bindings: relevant "when false() the data node (and its
descendants) are removed ... on submission"; required applies to relevant questions) and
JavaRosa XPathPathExpr.getRefValue (a non-relevant node reads as empty in expressions,
its value staying in the model).
"""

from __future__ import annotations

HEAD = ["type", "name", "label", "relevant", "required", "read_only", "calculation"]


def test_relevance_is_inherited_through_nested_groups_and_repeats(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "n", "N", "", "", "", ""],
            ["begin_group", "outer", "Outer", "${n} > 0", "", "", ""],
            ["begin_group", "inner", "Inner", "", "", "", ""],
            ["begin_repeat", "rep", "Rep", "", "", "", ""],
            ["text", "q", "Q", "", "", "", ""],
            ["text", "r", "R", "${q} != 'skip'", "", "", ""],
            ["end_repeat", "", "", "", "", "", ""],
            ["end_group", "", "", "", "", "", ""],
            ["end_group", "", "", "", "", "", ""],
        ]
    )
    q = "/data/outer/inner/rep[1]/q"
    assert not s.state(q).relevant  # n empty: the outer group is not relevant
    s.set_answer("/data/n", 1)
    assert s.state(q).relevant and s.state("/data/outer/inner/rep[1]/r").relevant
    s.set_answer(q, "skip")
    assert not s.state("/data/outer/inner/rep[1]/r").relevant
    new = s.add_repeat("/data/outer/inner/rep")
    assert s.state(f"{new}/r").relevant  # its own q is empty
    s.set_answer("/data/n", 0)
    assert not any(st.relevant for st in s.nodes() if "/rep[" in st.path)


def test_required_only_when_relevant(session_of):
    s = session_of(
        [
            HEAD,
            ["select_one yn", "consent", "Consent", "", "yes", "", ""],
            ["text", "name", "Name", "${consent} = 'yes'", "yes", "", ""],
        ],
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    assert [v.path for v in s.validate()] == ["/data/consent"]
    s.set_answer("/data/consent", "no")
    assert s.validate() == []  # name is required but not relevant
    s.set_answer("/data/consent", "yes")
    violations = s.validate()
    assert [(v.path, v.kind) for v in violations] == [("/data/name", "required")]
    assert violations[0].message == "This answer is required."


def test_readonly_is_inherited_and_a_readonly_calculate_still_computes(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "a", "A", "", "", "", ""],
            ["begin_group", "g", "G", "", "", "yes", ""],
            ["text", "inside", "Inside", "", "", "", ""],
            ["end_group", "", "", "", "", "", ""],
            ["integer", "double", "Double", "", "", "yes", "${a} * 2"],
        ]
    )
    assert s.state("/data/g/inside").readonly
    assert not s.state("/data/a").readonly
    s.set_answer("/data/a", 21)
    assert s.state("/data/double").value == "42" and s.state("/data/double").readonly


def test_non_relevant_answer_reads_as_empty_and_comes_back(session_of):
    s = session_of(
        [
            HEAD,
            ["select_one yn", "has", "Has", "", "", "", ""],
            ["integer", "count", "Count", "${has} = 'yes'", "", "", ""],
            ["calculate", "total", "", "", "", "", "coalesce(${count}, 0) + 1"],
            ["calculate", "seen", "", "", "", "", "string-length(${count})"],
        ],
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    s.set_answer("/data/has", "yes")
    s.set_answer("/data/count", 5)
    assert s.state("/data/total").value == "6"
    changed = s.set_answer("/data/has", "no")
    # JavaRosa: a non-relevant node is read as "" by every expression
    assert s.state("/data/total").value == "1"
    assert s.state("/data/seen").value == "0"
    assert {"/data/count", "/data/total"} <= changed
    assert "<count />" in s.to_xml()
    assert "<count>5</count>" in s.to_xml(keep_irrelevant=True)
    s.set_answer("/data/has", "yes")  # the answer was kept in the model
    assert s.state("/data/count").value == "5"
    assert s.state("/data/total").value == "6"


def test_non_relevant_group_is_emptied_or_left_out_of_the_submission(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "age", "Age", "", "", "", ""],
            ["begin_group", "adult", "Adult", "${age} >= 18", "", "", ""],
            ["text", "job", "Job", "", "", "", ""],
            ["end_group", "", "", "", "", "", ""],
        ]
    )
    s.set_answer("/data/age", 30)
    s.set_answer("/data/adult/job", "baker")
    s.set_answer("/data/age", 12)
    xml = s.to_xml()
    assert "<adult><job /></adult>" in xml  # a draft keeps the record's shape
    # as Collect submits it: the non-relevant branch is left out (JavaRosa
    # XFormSerializingVisitor; spec: "removed from the primary instance on submission")
    submitted = s.to_xml(submission=True)
    assert "<age>12</age><meta>" in submitted and "adult" not in submitted
    assert s.question_count() == 1  # progress counts only what is asked
