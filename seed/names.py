"""Realistic Chinese names for people and customer organisations."""

from __future__ import annotations

import itertools
import random

from graphbrm.seed import vocab

_MAX_TRIES = 200


class NameMaker:
    """Draws person names, and organisation names that never repeat."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surnames = [name for name, _ in vocab.SURNAMES]
        self._surname_weights = list(itertools.accumulate(w for _, w in vocab.SURNAMES))
        self._suffixes = [suffix for suffix, _ in vocab.LEGAL_SUFFIXES]
        self._suffix_weights = list(itertools.accumulate(w for _, w in vocab.LEGAL_SUFFIXES))
        self._taken: set[str] = set()

    def person(self) -> str:
        """A surname and a one- or two-character given name."""
        rng = self._rng
        surname = rng.choices(self._surnames, cum_weights=self._surname_weights)[0]
        if rng.random() < 0.5:
            first, second = vocab.GIVEN_FIRST_MALE, vocab.GIVEN_SECOND_MALE
        else:
            first, second = vocab.GIVEN_FIRST_FEMALE, vocab.GIVEN_SECOND_FEMALE
        if rng.random() < 0.25:
            return surname + rng.choice(second)
        head, tail = rng.choice(first), rng.choice(second)
        while tail == head:
            tail = rng.choice(second)
        return surname + head + tail

    def people(self, count: int) -> list[str]:
        """`count` person names, distinct from each other (as within one customer)."""
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            name = self.person()
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def organisation(self, industry: str, region: str) -> str:
        """A new organisation name that fits the industry and the region."""
        for _ in range(_MAX_TRIES):
            name = self._draw_organisation(industry, region)
            if name not in self._taken:
                self._taken.add(name)
                return name
        raise RuntimeError(f"no unused organisation name left for {industry}/{region}")

    def _draw_organisation(self, industry: str, region: str) -> str:
        rng = self._rng
        city = rng.choice(vocab.REGIONS[region][1])
        if industry == "政府":
            return self._agency(city)
        if industry == "教育":
            return self._school(city)
        if industry == "金融" and rng.random() < 0.3:
            return f"{city}{rng.choice(vocab.COMPANY_CORES)}银行股份有限公司"
        prefix = self._company_prefix(city, region)
        word = rng.choice(vocab.COMPANY_WORDS[industry])
        suffix = rng.choices(self._suffixes, cum_weights=self._suffix_weights)[0]
        if word.endswith("集团") and "集团" in suffix:
            suffix = "有限公司"
        return f"{prefix}{rng.choice(vocab.COMPANY_CORES)}{word}{suffix}"

    def _company_prefix(self, city: str, region: str) -> str:
        draw = self._rng.random()
        if draw < 0.65:
            return city
        return region if draw < 0.85 else ""

    def _agency(self, city: str) -> str:
        rng = self._rng
        level = "市" if rng.random() < 0.7 else rng.choice(vocab.DEVELOPMENT_ZONES)
        return f"{city}{level}{rng.choice(vocab.GOVERNMENT_AGENCIES)}"

    def _school(self, city: str) -> str:
        rng = self._rng
        draw = rng.random()
        if draw < 0.45:
            return f"{city}{rng.choice(vocab.UNIVERSITY_FIELDS)}{rng.choice(('大学', '学院'))}"
        if draw < 0.75:
            return f"{city}{rng.choice(vocab.COMPANY_CORES)}职业技术学院"
        return f"{city}{rng.choice(vocab.COMPANY_CORES)}教育科技有限公司"
