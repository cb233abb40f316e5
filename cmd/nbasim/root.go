package main

import (
	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each command lives in its own file
// (cmd_<name>.go) and receives the shared *app, which loads config and
// opens the lake and the store lazily.
func newRootCmd() *cobra.Command {
	a := &app{}
	root := &cobra.Command{
		Use:           "nbasim",
		Short:         "Keep an NBA data lake and database complete, verified and queryable",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.init(cmd)
		},
		PersistentPostRunE: func(cmd *cobra.Command, _ []string) error {
			return a.close()
		},
	}
	a.bindFlags(root)
	root.AddCommand(
		newVersionCmd(a),
		newConfigCmd(a),
		newDoctorCmd(a),
		newDBCmd(a),
		newFetchCmd(a),
		newImportCmd(a),
		newReplayServerCmd(a),
		newLoadCmd(a),
		newBoxCmd(a),
		newGamesCmd(a),
		newPlayersCmd(a),
		newLineupsCmd(a),
		newOnOffCmd(a),
		newVerifyCmd(a),
		newExportCmd(a),
		newReconcileCmd(a),
		newCoverageCmd(a),
		newCatalogCmd(a),
		newSynthCmd(a),
		newMCPCmd(a),
		newServeCmd(a),
		newBenchCmd(a),
		newSimCmd(a),
		newWinProbCmd(a),
		newRunCmd(a),
		newQueueCmd(a),
	)
	closeOnError(root, a)
	return root
}
