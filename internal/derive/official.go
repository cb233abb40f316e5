package derive

import "github.com/nbasim/nbasim/internal/parse"

// ExtraOfficial are the NBA official box parsers preferred over
// basketball-reference, keyed by the data folder prefix of their files.
var ExtraOfficial = map[string]parse.Func{}
