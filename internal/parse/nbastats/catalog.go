package nbastats

import (
	"fmt"
	"strconv"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// ParseCatalog parses a response of any catalog endpoint without a typed
// parser: its row sets, as DecodeRowSets reads them.
func ParseCatalog(data []byte, h parse.Hint) (*parse.Result, error) {
	sets, err := DecodeRowSets(data, h)
	if err != nil {
		return nil, err
	}
	return &parse.Result{RowSets: sets}, nil
}

// ParseShotChartDetail parses a shotchartdetail response: its row sets,
// and each row of Shot_Chart_Detail as a shot (game, event number, period,
// clock, player, team, location, distance, zone, made, shot type).
func ParseShotChartDetail(data []byte, h parse.Hint) (*parse.Result, error) {
	sets, err := DecodeRowSets(data, h)
	if err != nil {
		return nil, err
	}
	res := &parse.Result{RowSets: sets}
	for _, s := range sets {
		if s.Name != "Shot_Chart_Detail" {
			continue
		}
		col := map[string]int{}
		for i, c := range s.Headers {
			col[c] = i
		}
		for _, c := range []string{"GAME_ID", "GAME_EVENT_ID", "PLAYER_ID", "TEAM_ID", "PERIOD", "MINUTES_REMAINING", "SECONDS_REMAINING", "LOC_X", "LOC_Y", "SHOT_MADE_FLAG"} {
			if _, ok := col[c]; !ok {
				return nil, parse.Errorf(h, "Shot_Chart_Detail", "no %s column", c)
			}
		}
		for i, r := range s.Rows {
			str := func(c string) string {
				j, ok := col[c]
				if !ok {
					return ""
				}
				return parse.CellText(r, j)
			}
			num := func(c string) (int, error) {
				n, err := strconv.Atoi(str(c))
				if err != nil {
					return 0, fmt.Errorf("%s %q: %w", c, str(c), err)
				}
				return n, nil
			}
			var vals [8]int
			var bad error
			for k, c := range []string{"GAME_EVENT_ID", "PERIOD", "MINUTES_REMAINING", "SECONDS_REMAINING", "LOC_X", "LOC_Y", "SHOT_MADE_FLAG", "SHOT_DISTANCE"} {
				if c == "SHOT_DISTANCE" && str(c) == "" {
					continue
				}
				if vals[k], err = num(c); err != nil && bad == nil {
					bad = err
				}
			}
			pos := fmt.Sprintf("Shot_Chart_Detail[%d]", i)
			if bad != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: bad.Error()})
				continue
			}
			res.Shots = append(res.Shots, model.Shot{
				GameID: str("GAME_ID"), EventNum: vals[0], Period: vals[1], Clock: (vals[2]*60 + vals[3]) * 10,
				PlayerID: str("PLAYER_ID"), PlayerName: str("PLAYER_NAME"), TeamID: str("TEAM_ID"),
				X: vals[4], Y: vals[5], Made: vals[6] == 1, Distance: vals[7],
				ShotType: str("SHOT_TYPE"), ActionType: str("ACTION_TYPE"),
				Zone: str("SHOT_ZONE_BASIC"), ZoneArea: str("SHOT_ZONE_AREA"), ZoneRange: str("SHOT_ZONE_RANGE"),
			})
		}
	}
	return res, nil
}
