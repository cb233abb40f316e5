package model

import "testing"

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"Nikola Vučević": "nikola vucevic", "VUCEVIC": "vucevic", "Luka Dončić": "luka doncic",
		"Alperen Şengün": "alperen sengun", "Jusuf Nurkić": "jusuf nurkic", "Kristaps Porziņģis": "kristaps porzingis",
		"Dāvis Bertāns": "davis bertans", "Nikola Jokić": "nikola jokic", "Dennis Schröder": "dennis schroder",
		"Marcin Gortat": "marcin gortat", "Łukasz": "lukasz", "Bjørn": "bjorn", "Đorđević": "dordevic",
		"Strauß": "strauss", "Æsir": "aesir", "Shai Gilgeous-Alexander": "shai gilgeous alexander",
		"Royce O'Neale": "royce oneale", "Jaren Jackson Jr.": "jaren jackson jr", "  Two   Spaces  ": "two spaces",
		"P.J. Tucker": "pj tucker", "ﬁnn": "finn", "": "",
		// the same name precomposed (NFC) and decomposed (NFD) folds alike
		"Jokic\u0301": "jokic", "Joki\u0107": "jokic",
	} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{
		"Gary Trent Jr.": "gary trent", "Gary Trent": "gary trent", "Marvin Bagley III": "marvin bagley",
		"Larry Nance Jr.": "larry nance", "Tim Hardaway Sr": "tim hardaway", "Jr.": "jr", "Otto Porter Jr. II": "otto porter",
		"Dončić": "doncic",
	} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}
