from geodata.normalize import normalise, normalise_joined, normalise_many

NAMES = [
    "Cao Lãnh", "Sơn La", "Đà Nẵng", "ĐÀ NẴNG", "'s-Hertogenbosch", "İzmir", "Balıkesir",
    "Łódź", "Reșița", "N’Zérékoré", "Bayan-Öndör", "Straße", "Hawaiʻi", "a-_b", "São Paulo",
]


def test_accents_case_and_vietnamese_d_fold_away():
    assert normalise("Cao Lãnh") == "cao lanh"
    assert normalise("Sơn La") == "son la"
    assert normalise("Đà Nẵng") == normalise("ĐÀ NẴNG") == "da nang"
    assert normalise("Łódź") == "lodz"
    assert normalise("Balıkesir") == "balikesir"


def test_punctuation_becomes_single_spaces():
    assert normalise("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise("Kara - Commune de Kozah 1") == "kara commune de kozah 1"
    assert normalise("Hawaiʻi") == "hawai i"
    assert normalise("a-_b") == "a b"


def test_joined_form_drops_apostrophes():
    assert normalise_joined("N’Zérékoré") == "nzerekore"
    assert normalise_joined("Novoyavorivs'k") == "novoyavorivsk"


def test_bulk_normalisation_equals_one_by_one():
    assert normalise_many(NAMES) == [normalise(n) for n in NAMES]
    assert normalise_many(["line\nbreak", "x"]) == [normalise("line\nbreak"), "x"]
