"""The patent and population loaders on the shipped files and on malformed copies."""

from pathlib import Path

import numpy as np
import pytest

from lossylib import growth
from lossylib.growth import data

SHIPPED = Path(data.__file__).resolve().parents[1] / "data"


def test_shipped_files_load_complete():
    patents = growth.load_patents()
    assert patents.years[0] == 1790 and patents.years[-1] == 2015 and patents.years.size == 226
    assert patents.at(1790) == 3 and patents.at(1873) == 11_616 and patents.at(2015) == 298_407
    population = growth.load_population()
    assert population.years[0] == 1800 and population.years[-1] == 2100
    assert np.all(population.values > 0)


def test_per_million_matches_published_check():
    # Independent figures from the data's README (lossylib/data/README.md)
    years, rate = growth.patents_per_million()
    assert years[0] == 1800 and years[-1] == 2015
    published = {1873: 265, 1914: 394, 1916: 421, 1950: 271, 1985: 298, 2015: 933}
    for year, value in published.items():
        assert rate[years == year][0] == pytest.approx(value, abs=1)
    early = years < 1960
    assert years[early][np.argmax(rate[early])] == 1916


def test_spells_above_the_1850_1900_best():
    from lossylib.growth.experiments import patent_facts, spells_above

    years, rate = growth.patents_per_million()
    facts = patent_facts()
    assert facts["max_year_1850_1900"] == 1885
    after = years > 1900
    spells = spells_above(years[after], rate[after], facts["max_1850_1900"])
    # before 1996 the 1885 level was passed only in 1915-16 and 1931-32
    assert spells == [(1915, 1916), (1931, 1932), (1996, 2015)]
    assert facts["spells_after_1900_above_1850_1900_max"] == 3
    assert facts["first_year_above_1850_1900_max"] == 1915
    assert facts["lasting_from_year_above_1850_1900_max"] == 1996
    assert sum(b - a + 1 for a, b in spells) == round(
        facts["share_after_1900_above_1850_1900_max"] * after.sum()
    )


def test_the_record_year_is_the_series_maximum_not_its_last_year():
    """The prose once said 2015 was a record; the maximum is 2014, read independently."""
    from lossylib.growth.experiments import patent_facts

    years, rate = growth.patents_per_million()
    facts = patent_facts()
    best = max(zip(rate, years, strict=True))
    assert (facts["per_million_record"], facts["record_year"]) == best
    assert facts["record_year"] == 2014 and facts["ratio_2015_to_record"] < 1


def test_spells_above_edge_cases():
    from lossylib.growth.experiments import spells_above

    assert spells_above(np.arange(5), np.zeros(5), 1.0) == []
    assert spells_above(np.arange(3), np.full(3, 2.0), 1.0) == [(0, 2)]
    # a gap in the years splits a spell even when both sides are above
    assert spells_above(np.array([1, 2, 5, 6]), np.full(4, 2.0), 1.0) == [(1, 2), (5, 6)]


def test_per_capita_units():
    years, per_thousand = growth.per_capita(growth.load_patents(), growth.load_population(), 1e3)
    _, per_million = growth.patents_per_million()
    assert np.allclose(per_thousand * 1e3, per_million)
    with pytest.raises(ValueError, match="per"):
        growth.per_capita(growth.load_patents(), growth.load_population(), per=0)


def _copy(tmp_path, name, edit):
    text = (SHIPPED / name).read_text("utf-8")
    path = tmp_path / name
    path.write_text(edit(text), "utf-8")
    return path


def test_missing_column(tmp_path):
    path = _copy(tmp_path, data.PATENTS_FILE, lambda t: t.replace("Total patents granted", "X"))
    with pytest.raises(ValueError, match=r"us_patents.*missing column 'Total patents granted'"):
        growth.load_patents(path)


def test_text_in_number_column(tmp_path):
    path = _copy(tmp_path, data.PATENTS_FILE, lambda t: t.replace(",1873,11616,", ",1873,many,"))
    with pytest.raises(ValueError, match=r"column 'Total patents granted' row .* not a number"):
        growth.load_patents(path)


def test_negative_value(tmp_path):
    path = _copy(tmp_path, data.POPULATION_FILE, lambda t: t.replace(",1950,158804395", ",1950,-1"))
    with pytest.raises(ValueError, match=r"us_population.*negative"):
        growth.load_population(path)


def test_missing_year(tmp_path):
    def drop(text):
        return "\n".join(line for line in text.splitlines() if ",1900," not in line) + "\n"

    path = _copy(tmp_path, data.PATENTS_FILE, drop)
    with pytest.raises(ValueError, match=r"'Year' must run 1790-2015.*1900"):
        growth.load_patents(path)


def test_repeated_year(tmp_path):
    def repeat(text):
        lines = text.splitlines()
        return "\n".join(lines[:10] + [lines[9]] + lines[10:-1]) + "\n"

    path = _copy(tmp_path, data.PATENTS_FILE, repeat)
    with pytest.raises(ValueError, match="without gaps"):
        growth.load_patents(path)


def test_empty_number(tmp_path):
    path = _copy(tmp_path, data.PATENTS_FILE, lambda t: t.replace(",1873,11616,", ",1873,,"))
    with pytest.raises(ValueError, match="not a number"):
        growth.load_patents(path)


def test_bad_files_in_per_million(tmp_path):
    path = _copy(tmp_path, data.POPULATION_FILE, lambda t: t.replace("Year", "Yr"))
    with pytest.raises(ValueError, match="missing column 'Year'"):
        growth.patents_per_million(population_path=path)
