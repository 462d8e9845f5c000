"""The learned theme suggester: the shipped model, its rebuild, and learning from the user."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from tappedin_widgets import theme_model, theme_user
from tappedin_widgets.theme_model import (
    MODEL_FILE,
    THEMES,
    ThemeModel,
    char_features,
    word_features,
)
from tappedin_widgets.theme_train import Settings, choose, fit, load_corpus, source_folds
from tappedin_widgets.theme_user import Example, UserLayer, UserThemes
from tappedin_widgets.themes import (
    ThemeTag,
    custom_from_frame,
    rule_themes,
    scan_rules,
    suggest_themes,
)

FIXTURE = Path(__file__).parent / "fixtures" / "theme_corpus"
ISSUE_TEXT = ("Your portfolio was the strongest we saw, but the other finalist had more experience "
              "running research with clinicians, and in the panel your answers ran long.")


def pairs(tags) -> set[tuple[str, str]]:
    return {(t.theme, t.polarity) for t in tags}


# --------------------------------------------------------------------------
# The shipped model


def test_model_file_ships_inside_the_package_and_loads():
    assert MODEL_FILE.parent == Path(theme_model.__file__).parent
    model = ThemeModel.load(MODEL_FILE)
    assert model.coef.shape == (model.featurizer.n_features, len(THEMES))
    assert theme_model.shipped() is not None


def test_same_text_same_tags_across_loads():
    first = ThemeModel.load().suggest(ISSUE_TEXT)
    again = ThemeModel.load().suggest(ISSUE_TEXT)
    assert first == again == suggest_themes(ISSUE_TEXT)
    assert [t.evidence for t in first] == [t.evidence for t in again]
    assert all(t.evidence for t in first)


def test_competition_is_always_a_gap_and_tags_are_sorted_without_duplicates():
    tags = suggest_themes("They went with an internal candidate. Role filled. Internal hire.")
    assert ThemeTag("competition", "-") in tags
    assert ThemeTag("competition", "+") not in tags
    assert tags == sorted(set(tags))


def test_features_match_scikit_learn_tfidf():
    """The numpy featurizer used at run time gives scikit-learn's TF-IDF rows exactly."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [i.text for i in load_corpus(FIXTURE)]
    docs = [list(scan_rules(t).words) for t in texts]
    word = TfidfVectorizer(analyzer=word_features, min_df=2, sublinear_tf=True).fit(docs)
    char = TfidfVectorizer(analyzer=char_features, min_df=2, sublinear_tf=True).fit(docs)
    featurizer = theme_model.Featurizer(word.get_feature_names_out(), word.idf_,
                                        char.get_feature_names_out(), char.idf_)
    rows = docs[:10] + [["never", "seen", "zzzz"]]
    row, feature, value = featurizer.rows(rows)
    ours = np.zeros((len(rows), featurizer.n_features))
    ours[row, feature] = value
    expected = np.hstack([word.transform(rows).toarray(), char.transform(rows).toarray()])
    assert np.allclose(ours, expected)
    # One row at a time (the fast path every suggestion takes) gives the same rows.
    for k, tokens in enumerate(rows):
        row, feature, value = featurizer.rows([tokens])
        assert not row.any() and list(feature) == sorted(feature)
        one = np.zeros(featurizer.n_features)
        one[feature] = value
        assert np.allclose(one, expected[k])


def test_every_corpus_text_gets_the_same_tags_twice_and_after_a_fresh_load():
    """Deterministic, including the caches the rules and the featurizer keep per word."""
    texts = [i.text for i in load_corpus(FIXTURE)]
    first = [suggest_themes(t) for t in texts]
    fresh = ThemeModel.load()
    for text, tags in zip(texts, first, strict=True):
        assert suggest_themes(text) == tags == fresh.suggest(text)
        assert [t.evidence for t in fresh.suggest(text)] == [t.evidence for t in tags]
    assert sum(map(len, first)) > len(texts) / 2


def test_a_damaged_model_file_falls_back_to_the_rules(tmp_path, monkeypatch):
    bad = tmp_path / "theme_model.npz"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(theme_model, "MODEL_FILE", bad)
    theme_model.shipped.cache_clear()
    try:
        assert theme_model.shipped() is None
        assert suggest_themes(ISSUE_TEXT) == rule_themes(ISSUE_TEXT)
    finally:
        theme_model.shipped.cache_clear()


def test_odd_text_gives_no_tags_and_no_error():
    for text in ["", "   ", "!!!", None, 42, "\x00\x01"]:
        assert suggest_themes(text) == []


# --------------------------------------------------------------------------
# Rebuilding


def test_rebuild_command_writes_a_model_from_a_small_corpus(tmp_path):
    out = tmp_path / "model.npz"
    done = subprocess.run([sys.executable, "-m", "tappedin_widgets.theme_model", "build",
                           "--corpus", str(FIXTURE), "--no-extra", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    model = ThemeModel.load(out)
    tags = pairs(model.suggest("Strong SQL, but they went with someone with more people-management "
                               "experience."))
    assert ("technical_skills", "+") in tags


def test_rebuild_from_one_source_says_it_cannot_cross_validate(tmp_path):
    """Settings are chosen by cross-validation grouped by source: one source is not enough."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [{"id": f"x{k}", "text": text, "source_id": "s1", "split": split, "tags": tags}
            for k, (text, split, tags) in enumerate([
                ("Strong SQL.", "train", [["technical_skills", "+"]]),
                ("Too nervous in the room.", "train", [["presence", "-"]]),
                ("They went with an internal candidate.", "dev", [["competition", "-"]])])]
    (corpus / "items.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "model.npz"
    done = subprocess.run([sys.executable, "-m", "tappedin_widgets.theme_model", "build",
                           "--corpus", str(corpus), "--no-extra", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "at least two sources" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_choose_cross_validates_by_source_and_is_deterministic():
    items = [i for i in load_corpus(FIXTURE) if i.split in ("train", "dev")]
    folds = source_folds(items)
    by_source: dict[str, set[int]] = {}
    for item, fold in zip(items, folds, strict=True):
        by_source.setdefault(item.source_id, set()).add(fold)
    assert all(len(f) == 1 for f in by_source.values())   # no source on both sides
    assert len(set(folds)) == 5
    first, scores = choose(items, log=lambda _m: None)
    again, _ = choose(items, log=lambda _m: None)
    assert first == again
    assert 0.0 < scores.pair.f1 <= scores.theme.f1 <= 1.0


def test_fitting_options_are_tried_in_the_grid_and_word_trigrams_reach_the_model():
    items = [i for i in load_corpus(FIXTURE) if i.split in ("train", "dev")]
    lines: list[str] = []
    grid = {"C": (2.0,), "rule_weight": (0.0,), "rules_first": (True,), "veto": (0.0,),
            "threshold": (0.5,), "pol_bias": (0.5,), "word_ngrams": (2, 3),
            "balanced": (True, False), "pol_override": (0.0,)}
    settings, _ = choose(items, log=lines.append, grid=grid)
    assert len(lines) == 4   # every fitting option, each at the one decision setting
    for n, balanced in [(2, True), (2, False), (3, True), (3, False)]:
        assert sum(f"word_ngrams={n}, balanced={balanced}," in line for line in lines) == 1
    assert settings.word_ngrams in (2, 3)
    model = ThemeModel(fit(items, Settings(C=2.0, rule_weight=0.0, word_ngrams=3)))
    assert model.featurizer.word_n == 3
    words = list(scan_rules("Did not know enough SQL and did not know the product.").words)
    assert "did not know" in word_features(words, n=3)
    vocab = set(model.featurizer.word_index)
    assert any(len(w.split()) == 3 for w in vocab)
    index = model.featurizer.word_index
    found = set(model.featurizer.ids(words))
    assert {index[w] for w in word_features(words, n=3) if w in vocab} <= found


def test_veto_drops_the_rules_tags_the_model_finds_unlikely():
    model = ThemeModel.load()
    model.rules_first = True
    model.threshold = np.full(len(THEMES), 1.01)   # the model adds nothing of its own
    text = "She came across as nervous, but strong SQL."
    analysis = model.analyse(scan_rules(text))
    model.veto = np.zeros(len(THEMES))
    assert sorted(model.tags(analysis)) == rule_themes(text)
    model.veto = np.full(len(THEMES), 1.01)
    assert model.tags(analysis) == []
    presence = THEMES.index("presence")
    model.veto = np.zeros(len(THEMES))
    model.veto[presence] = 1.01
    assert pairs(model.tags(analysis)) == pairs(rule_themes(text)) - {("presence", "-")}


def test_the_polarity_model_overrules_a_rules_polarity_only_when_asked_and_firm():
    model = ThemeModel.load()
    model.rules_first = True
    model.threshold = np.full(len(THEMES), 1.01)   # only the rules' own themes
    text = "She came across as nervous, but strong SQL. They went with an internal candidate."
    scan = scan_rules(text)
    # "nervous" says its polarity itself (firm); SQL's comes from "strong" around it.
    assert {scan.tags[n][0].theme for n in scan.firm} == {"presence"}
    analysis = model.analyse(scan)
    model.pol_override = np.zeros(len(THEMES))
    assert pairs(model.tags(analysis)) == pairs(rule_themes(text))
    model.pol_bias, model.pol_override = 1e9, np.ones(len(THEMES))   # the model reads gaps
    assert pairs(model.tags(analysis)) == {("presence", "-"), ("technical_skills", "-"),
                                           ("competition", "-")}
    model.pol_override[THEMES.index("technical_skills")] = 0.0   # ... not for this theme
    assert pairs(model.tags(analysis)) == pairs(rule_themes(text))
    model.pol_override = np.full(len(THEMES), 2e9)              # ... nor when not firm enough
    assert pairs(model.tags(analysis)) == pairs(rule_themes(text))
    model.pol_bias, model.pol_override = -1e9, np.ones(len(THEMES))  # reads praise: "nervous"
    assert ("presence", "-") in pairs(model.tags(analysis))          # is exact, it stays


def test_polarity_bias_leans_the_models_own_tags_towards_a_gap():
    model = ThemeModel.load()
    text = "Honestly the whole thing felt off."
    scan = scan_rules(text)
    assert not scan.tags   # the rules read nothing here: the polarity is the model's
    analysis = model.analyse(scan)
    t = max((k for k, theme in enumerate(THEMES) if theme != "competition"),
            key=lambda k: analysis.prob[k])
    model.pol_bias = -1e9
    assert {tag.polarity for tag in model.theme_tags(analysis, t)} == {"+"}
    model.pol_bias = 1e9
    assert {tag.polarity for tag in model.theme_tags(analysis, t)} == {"-"}


def test_rebuild_without_a_corpus_says_so_and_writes_nothing(tmp_path):
    out = tmp_path / "model.npz"
    done = subprocess.run([sys.executable, "-m", "tappedin_widgets.theme_model", "build",
                           "--corpus", str(tmp_path / "missing"), "--no-extra", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no corpus at" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


# --------------------------------------------------------------------------
# Learning from the user


def _entry(store, app_id, text, tags) -> int:
    fid = store.add("feedback", application_id=app_id, observations=text)
    store.set_tags(fid, tags)
    return fid


def test_suggestions_adapt_to_a_user_who_corrected_them(store, app_id):
    text = "Honestly they said I seemed way too eager in the final round."
    before = suggest_themes(text, custom_from_frame(store.themes(), store))
    # The user's own saved tags for this kind of feedback differ from the suggestion.
    corrected = {("enthusiasm", "-")} if ("enthusiasm", "-") not in pairs(before) \
        else {("presence", "-")}
    _entry(store, app_id, "They said I seemed way too eager in the final round.", sorted(corrected))
    mine = custom_from_frame(store.themes(), store)
    assert isinstance(mine, UserThemes) and mine.layer.size == 1 and mine
    after = suggest_themes(text, mine)
    assert corrected <= pairs(after)
    assert pairs(after) != pairs(before)
    # Another user's store is untouched by these corrections.
    assert suggest_themes(text) == before


def test_a_removed_suggestion_is_learned_as_a_gap_in_the_suggester(store, app_id):
    text = "Recruiter said the hiring manager loved my portfolio and the case study."
    suggested = pairs(suggest_themes(text))
    assert suggested, "the model should suggest something here"
    removed = sorted(suggested)[0]
    kept = sorted(suggested - {removed}) or [("communication", "+")]
    for k in range(3):
        _entry(store, app_id, text + " " * k, kept)
    after = pairs(suggest_themes(text, custom_from_frame(store.themes(), store)))
    assert removed not in after


def test_custom_theme_is_learned_from_tagged_feedback_without_key_phrases(store, app_id):
    theme = store.add_theme("On-call duty")          # no key phrases at all
    for text in ["They worried I would not cope with the pager rota at weekends.",
                 "Concern about the pager rota: I said weekends are hard for me.",
                 "The weekend pager rota was the sticking point for them."]:
        _entry(store, app_id, text, [(theme, "-")])
    new = "Once more the pager rota at weekends came up as the problem."
    assert theme not in {t.theme for t in suggest_themes(new)}
    tags = suggest_themes(new, custom_from_frame(store.themes(), store))
    found = [t for t in tags if t.theme == theme]
    assert found and found[0].polarity == "-" and "like your feedback" in found[0].evidence


def test_layer_built_from_examples_directly_and_empty_layer_changes_nothing():
    model = theme_model.shipped()
    text = "Great SQL but nervous in the room."
    analysis = model.analyse(scan_rules(text))
    empty = UserLayer(model, [])
    assert empty.size == 0
    assert sorted(empty.tags(model, analysis)) == sorted(model.tags(analysis))
    layer = UserLayer(model, [Example("Great SQL but nervous in the room.",
                                      frozenset({("technical_skills", "+")}))])
    assert pairs(layer.tags(model, analysis)) >= {("technical_skills", "+")}
    assert theme_user.UserThemes((), layer)
