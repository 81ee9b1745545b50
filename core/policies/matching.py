"""Which city policy a report seems to be about, so a citizen can link it in one tap.

A small, explainable similarity: the words a report shares with a policy's title and summary,
each weighted by how rare it is among policies (IDF), words of the title counting double, as a
cosine. ("jalan" is a stop word here: nearly every address has it.) Words that recur in the
reports citizens and officers linked to a policy join its words, counting double like the
title's: "jukir" says parking as clearly as the policy's own title does. Those words are
kept per process for LEARNED_FOR (core/catalogue/cached.py): reading a city's latest linked
reports for every report a citizen writes would cost more than the rest of the suggestion.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from core.catalogue.cached import cached
from core.policies.models import PolicySuggestion
from db.tables import Policy, Report

# A suggestion must share at least this many distinctive words and reach this similarity;
# one shared word ("jalan", "tarif") says little on its own. An ordinary complaint sharing a
# place and a topic with a policy ("trotoar rusak di Pasar Besar", "sampah di TPS belum
# diangkut") reaches about 0.35, a report about the policy itself (its tariff, its rule, its
# schedule) 0.43 and more: offering the link to the first would inflate objections.
MIN_SHARED_WORDS = 2
MIN_SCORE = 0.4
# A report that speaks of a rule or of a charge the city sets needs less; one that names a
# policy's code gets it.
MENTIONED_MIN_SCORE = 0.3
_POLICY_WORDS_TEXT = """
    kebijakan aturan peraturan perwal perda edaran tarif retribusi iuran pajak
    policy rule regulation fee tax levy
"""
POLICY_WORDS = frozenset(_POLICY_WORDS_TEXT.split())
# Learning from linked reports: the latest LEARN_FROM of them are read; a word joins a policy
# when at least LEARNED_MIN_REPORTS of its reports use it, the LEARNED_WORDS most used only,
# so a policy with many linked reports does not drown its own words.
LEARN_FROM = 2000
LEARNED_MIN_REPORTS = 3
LEARNED_WORDS = 10
# How late a word citizens began to use for a policy may join it.
LEARNED_FOR = timedelta(minutes=10)
# The policies citizens may still object to (a revoked one is gone).
OPEN_TO_OBJECTIONS = ("active", "under_review", "revised")
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS_TEXT = """
    ada adalah agar akan atau bagi bahwa banyak belum bisa boleh bu dalam dan dapat dari
    dengan depan di dia ini itu jadi juga kami kalau karena kita ke kok lagi lah mau masih
    mohon nya pada pak para per saja sama sangat saya sebelum sedang sejak sekali setiap
    sudah tapi telah tidak tolong untuk warga yang kota malang hari jalan
    a an and are as at be by for from has have in is it not of on or our the this to was
    were with we you my
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def words(text: str) -> set[str]:
    """The distinctive words of a text: lower-case, without stop words, numbers or '-nya'."""
    found = set()
    for word in _WORD.findall(text.lower()):
        if len(word) > 6 and word.endswith("nya"):
            word = word[:-3]
        if len(word) >= 3 and not word.isdigit() and word not in _STOPWORDS:
            found.add(word)
    return found


async def _learned_words() -> dict[int, set[str]]:
    """The words that recur in the reports linked to each policy open to objections (rejected
    reports aside), by policy id."""
    rows = (
        await Report.select(Report.policy, Report.text)
        .where(
            Report.policy.is_in(
                Policy.select(Policy.id).where(Policy.status.is_in(list(OPEN_TO_OBJECTIONS)))
            )
            & (Report.status != "rejected")
        )
        .order_by(Report.created_at, ascending=False)
        .limit(LEARN_FROM)
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[row["policy"]].update(words(row["text"]))
    return {
        policy_id: {
            word for word, used in counter.most_common(LEARNED_WORDS) if used >= LEARNED_MIN_REPORTS
        }
        for policy_id, counter in counts.items()
    }


async def suggest_policy(text: str) -> PolicySuggestion | None:
    """The policy still open to objections that the text names or is about, or None."""
    policies = await Policy.select(Policy.id, Policy.code, Policy.title, Policy.summary).where(
        Policy.status.is_in(list(OPEN_TO_OBJECTIONS))
    )
    if not policies:
        return None
    named = [row for row in policies if row["code"].lower() in text.lower()]
    if named:
        return PolicySuggestion(code=named[0]["code"], title=named[0]["title"], score=1.0)
    learned = await cached("learned policy words", _learned_words, max_age=LEARNED_FOR)
    # (the words that count double — the title's and those citizens use for it — and all)
    documents = [
        (
            words(row["title"]) | learned.get(row["id"], set()),
            words(f"{row['title']} {row['summary']}") | learned.get(row["id"], set()),
        )
        for row in policies
    ]
    frequency = Counter(word for _, document in documents for word in document)
    idf = {
        word: math.log((1 + len(documents)) / (1 + count)) + 1 for word, count in frequency.items()
    }
    said = words(text)
    min_score = MENTIONED_MIN_SCORE if said & POLICY_WORDS else MIN_SCORE
    query = said & idf.keys()
    if len(query) < MIN_SHARED_WORDS:
        return None
    query_norm = math.sqrt(sum(idf[word] ** 2 for word in query))
    best: tuple[float, dict[str, Any]] | None = None
    for row, (strong, document) in zip(policies, documents, strict=True):
        shared = query & document
        if len(shared) < MIN_SHARED_WORDS:
            continue
        weight = {word: idf[word] * (2 if word in strong else 1) for word in document}
        document_norm = math.sqrt(sum(value**2 for value in weight.values()))
        score = sum(idf[word] * weight[word] for word in shared) / (query_norm * document_norm)
        if score >= min_score and (best is None or score > best[0]):
            best = (score, row)
    if best is None:
        return None
    score, row = best
    return PolicySuggestion(code=row["code"], title=row["title"], score=round(score, 3))
