// Package archtest holds the architecture test: docs/architecture.md's
// package map states every package's imports inside nbasim, and the test
// fails when the code and the map disagree or a package imports one the
// layering forbids.
package archtest
