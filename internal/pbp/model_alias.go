package pbp

import "github.com/nbasim/nbasim/internal/model"

// Temporary aliases while branches in flight move to internal/model;
// they go once main builds without them.

// Away is model.Away.
//
// Deprecated: use model.Away.
const Away = model.Away

// Ejection is model.Ejection.
//
// Deprecated: use model.Ejection.
const Ejection = model.Ejection

// FTClearPath is model.FTClearPath.
//
// Deprecated: use model.FTClearPath.
const FTClearPath = model.FTClearPath

// FTFlagrant is model.FTFlagrant.
//
// Deprecated: use model.FTFlagrant.
const FTFlagrant = model.FTFlagrant

// FTRegular is model.FTRegular.
//
// Deprecated: use model.FTRegular.
const FTRegular = model.FTRegular

// FTTechnical is model.FTTechnical.
//
// Deprecated: use model.FTTechnical.
const FTTechnical = model.FTTechnical

// Foul is model.Foul.
//
// Deprecated: use model.Foul.
const Foul = model.Foul

// FoulAwayFromPlay is model.FoulAwayFromPlay.
//
// Deprecated: use model.FoulAwayFromPlay.
const FoulAwayFromPlay = model.FoulAwayFromPlay

// FoulClearPath is model.FoulClearPath.
//
// Deprecated: use model.FoulClearPath.
const FoulClearPath = model.FoulClearPath

// FoulDefensive3Seconds is model.FoulDefensive3Seconds.
//
// Deprecated: use model.FoulDefensive3Seconds.
const FoulDefensive3Seconds = model.FoulDefensive3Seconds

// FoulDouble is model.FoulDouble.
//
// Deprecated: use model.FoulDouble.
const FoulDouble = model.FoulDouble

// FoulDoubleTechnical is model.FoulDoubleTechnical.
//
// Deprecated: use model.FoulDoubleTechnical.
const FoulDoubleTechnical = model.FoulDoubleTechnical

// FoulFlagrant1 is model.FoulFlagrant1.
//
// Deprecated: use model.FoulFlagrant1.
const FoulFlagrant1 = model.FoulFlagrant1

// FoulFlagrant2 is model.FoulFlagrant2.
//
// Deprecated: use model.FoulFlagrant2.
const FoulFlagrant2 = model.FoulFlagrant2

// FoulInbound is model.FoulInbound.
//
// Deprecated: use model.FoulInbound.
const FoulInbound = model.FoulInbound

// FoulLooseBall is model.FoulLooseBall.
//
// Deprecated: use model.FoulLooseBall.
const FoulLooseBall = model.FoulLooseBall

// FoulOffensive is model.FoulOffensive.
//
// Deprecated: use model.FoulOffensive.
const FoulOffensive = model.FoulOffensive

// FoulOther is model.FoulOther.
//
// Deprecated: use model.FoulOther.
const FoulOther = model.FoulOther

// FoulPersonal is model.FoulPersonal.
//
// Deprecated: use model.FoulPersonal.
const FoulPersonal = model.FoulPersonal

// FoulShooting is model.FoulShooting.
//
// Deprecated: use model.FoulShooting.
const FoulShooting = model.FoulShooting

// FoulTechnical is model.FoulTechnical.
//
// Deprecated: use model.FoulTechnical.
const FoulTechnical = model.FoulTechnical

// FoulTransitionTake is model.FoulTransitionTake.
//
// Deprecated: use model.FoulTransitionTake.
const FoulTransitionTake = model.FoulTransitionTake

// FreeThrow is model.FreeThrow.
//
// Deprecated: use model.FreeThrow.
const FreeThrow = model.FreeThrow

// Home is model.Home.
//
// Deprecated: use model.Home.
const Home = model.Home

// JumpBall is model.JumpBall.
//
// Deprecated: use model.JumpBall.
const JumpBall = model.JumpBall

// NoSide is model.NoSide.
//
// Deprecated: use model.NoSide.
const NoSide = model.NoSide

// OvertimePeriod is model.OvertimePeriod.
//
// Deprecated: use model.OvertimePeriod.
const OvertimePeriod = model.OvertimePeriod

// PeriodBegin is model.PeriodBegin.
//
// Deprecated: use model.PeriodBegin.
const PeriodBegin = model.PeriodBegin

// PeriodEnd is model.PeriodEnd.
//
// Deprecated: use model.PeriodEnd.
const PeriodEnd = model.PeriodEnd

// Rebound is model.Rebound.
//
// Deprecated: use model.Rebound.
const Rebound = model.Rebound

// ReboundDefensive is model.ReboundDefensive.
//
// Deprecated: use model.ReboundDefensive.
const ReboundDefensive = model.ReboundDefensive

// ReboundOffensive is model.ReboundOffensive.
//
// Deprecated: use model.ReboundOffensive.
const ReboundOffensive = model.ReboundOffensive

// ReboundUnknown is model.ReboundUnknown.
//
// Deprecated: use model.ReboundUnknown.
const ReboundUnknown = model.ReboundUnknown

// RegulationPeriod is model.RegulationPeriod.
//
// Deprecated: use model.RegulationPeriod.
const RegulationPeriod = model.RegulationPeriod

// Replay is model.Replay.
//
// Deprecated: use model.Replay.
const Replay = model.Replay

// ShotMade is model.ShotMade.
//
// Deprecated: use model.ShotMade.
const ShotMade = model.ShotMade

// ShotMissed is model.ShotMissed.
//
// Deprecated: use model.ShotMissed.
const ShotMissed = model.ShotMissed

// Substitution is model.Substitution.
//
// Deprecated: use model.Substitution.
const Substitution = model.Substitution

// Timeout is model.Timeout.
//
// Deprecated: use model.Timeout.
const Timeout = model.Timeout

// Turnover is model.Turnover.
//
// Deprecated: use model.Turnover.
const Turnover = model.Turnover

// Unknown is model.Unknown.
//
// Deprecated: use model.Unknown.
const Unknown = model.Unknown

// Violation is model.Violation.
//
// Deprecated: use model.Violation.
const Violation = model.Violation

// Box is model.Box.
//
// Deprecated: use model.Box.
type Box = model.Box

// Event is model.Event.
//
// Deprecated: use model.Event.
type Event = model.Event

// EventType is model.EventType.
//
// Deprecated: use model.EventType.
type EventType = model.EventType

// FoulKind is model.FoulKind.
//
// Deprecated: use model.FoulKind.
type FoulKind = model.FoulKind

// FreeThrowKind is model.FreeThrowKind.
//
// Deprecated: use model.FreeThrowKind.
type FreeThrowKind = model.FreeThrowKind

// Game is model.Game.
//
// Deprecated: use model.Game.
type Game = model.Game

// PlayerID is model.PlayerID.
//
// Deprecated: use model.PlayerID.
type PlayerID = model.PlayerID

// PlayerInfo is model.PlayerInfo.
//
// Deprecated: use model.PlayerInfo.
type PlayerInfo = model.PlayerInfo

// PlayerLine is model.PlayerLine.
//
// Deprecated: use model.PlayerLine.
type PlayerLine = model.PlayerLine

// ReboundKind is model.ReboundKind.
//
// Deprecated: use model.ReboundKind.
type ReboundKind = model.ReboundKind

// Side is model.Side.
//
// Deprecated: use model.Side.
type Side = model.Side

// Stats is model.Stats.
//
// Deprecated: use model.Stats.
type Stats = model.Stats

// Team is model.Team.
//
// Deprecated: use model.Team.
type Team = model.Team

// TeamLine is model.TeamLine.
//
// Deprecated: use model.TeamLine.
type TeamLine = model.TeamLine

// Tenths is model.Tenths.
//
// Deprecated: use model.Tenths.
type Tenths = model.Tenths

// StatNames is model.StatNames.
//
// Deprecated: use model.StatNames.
var StatNames = model.StatNames

// PeriodLength is model.PeriodLength.
//
// Deprecated: use model.PeriodLength.
func PeriodLength(p int) model.Tenths { return model.PeriodLength(p) }

// PeriodStart is model.PeriodStart.
//
// Deprecated: use model.PeriodStart.
func PeriodStart(p int) model.Tenths { return model.PeriodStart(p) }

// Elapsed is model.Elapsed.
//
// Deprecated: use model.Elapsed.
func Elapsed(period int, clock model.Tenths) model.Tenths { return model.Elapsed(period, clock) }

// Shooting is model.Shooting.
//
// Deprecated: use model.Shooting.
func Shooting(events []model.Event, side model.Side) model.Stats {
	return model.Shooting(events, side)
}
