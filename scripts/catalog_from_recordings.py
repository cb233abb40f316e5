#!/usr/bin/env python3
"""Bootstrap of internal/layout/catalog.yaml from recorded stats.nba.com responses.

Usage: python3 scripts/catalog_from_recordings.py ../shared/data > internal/layout/catalog.yaml

It reads nba_stats/index.tsv: for each endpoint, the parameters of a recorded
request (entity values replaced by placeholders), the scope (which entity the
request is about), and the result sets with their headers (flattened exactly
as parse/nbastats.DecodeResultSets flattens them). The YAML is the source of
truth afterwards (edit it, not this script's output); the script documents
how the first version was derived and can be rerun on new recordings.
The recordings themselves never enter the repository: only endpoint names,
parameter names and defaults, result set names and headers.
"""
import collections
import csv
import json
import sys
import urllib.parse as up

# Existing datasets keep their requests and keys (lakes hold them).
FIXED = {
    "leaguegamelog": dict(scope="season",
        params="Counter=1000&DateFrom=&DateTo=&Direction=DESC&LeagueID=00&PlayerOrTeam={PlayerOrTeam:T|P}&Season={season}&SeasonType={season_type}&Sorter=DATE",
        key="{season_type}_{PlayerOrTeam}", items=["regular_T", "playoffs_T"], required=True, freshness_days=1,
        description="team (T) and player (P) game logs of a season: the schedule of record"),
    "playbyplayv3": dict(scope="game", params="EndPeriod=0&GameID={game_id}&StartPeriod=0", ignore=["StartPeriod", "EndPeriod"],
        required=True, description="play-by-play (v3)"),
    "playbyplayv2": dict(scope="game", params="EndPeriod=10&GameID={game_id}&StartPeriod=0", ignore=["StartPeriod", "EndPeriod"],
        seasons="1996-97..2024-25", description="play-by-play (v2, retired by the NBA in 2025)"),
    "boxscoretraditionalv3": dict(scope="game", params="EndPeriod=0&EndRange=0&GameID={game_id}&RangeType=0&StartPeriod=0&StartRange=0",
        ignore=["StartPeriod", "EndPeriod", "StartRange", "EndRange", "RangeType"], required=True, description="official box score (v3)"),
    "boxscoretraditionalv2": dict(scope="game", params="EndPeriod=0&EndRange=0&GameID={game_id}&RangeType=0&StartPeriod=0&StartRange=0",
        ignore=["StartPeriod", "EndPeriod", "StartRange", "EndRange", "RangeType"], seasons="1996-97..2024-25", description="official box score (v2)"),
    "gamerotation": dict(scope="game", params="GameID={game_id}&LeagueID=00", description="substitution stints of each player"),
}

ENTITY = {"GameID": "{game_id}", "PlayerID": "{player_id}", "TeamID": "{team_id}", "Season": "{season}", "GameDate": "{date}"}

# Scope overrides and per-endpoint choices the recordings cannot tell.
SCOPE = {
    "shotchartdetail": "game", "videodetailsasset": "game", "infographicfanduelplayer": "game",
    "leaguegamefinder": "season", "leagueplayerondetails": "team_season", "leagueseasonmatchups": "season",
    "playercompare": "season", "playoffpicture": "season", "cumestatsplayer": "player_season", "cumestatsteam": "team_season",
    "franchiseleaders": "team", "franchiseplayers": "team", "teamyearbyyearstats": "team", "teaminfocommon": "team",
    "shotchartlineupdetail": "season", "playerfantasyprofilebargraph": "player_season",
}
# Defaults that differ from the first recording (the recording becomes a variant).
DEFAULTS = {
    "shotchartdetail": {"TeamID": "0", "PlayerID": "0", "ContextMeasure": "FGA"},
    "videodetailsasset": {"TeamID": "0", "PlayerID": "0"},
    "leagueplayerondetails": {},
    "leagueseasonmatchups": {"OffPlayerID": "", "DefPlayerID": ""},
    "leaguegamefinder": {"DateFrom": "", "DateTo": "", "Season": "{season}"},
    "leaguedashteamstats": {"PerMode": "Totals"},
    "playerdashptshotdefend": {"TeamID": "0"}, "playerdashptpass": {"TeamID": "0"}, "playerdashptreb": {"TeamID": "0"},
    "playerdashptshots": {"TeamID": "0"},
    "teamdashlineups": {"GroupQuantity": "5", "MeasureType": "Base", "SeasonType": "Regular Season"},
    "draftcombinedrillresults": {"SeasonYear": "{season_start}"}, "draftcombinenonstationaryshooting": {"SeasonYear": "{season_start}"},
    "draftcombineplayeranthro": {"SeasonYear": "{season_start}"}, "draftcombinespotshooting": {"SeasonYear": "{season_start}"},
    "draftcombinestats": {"SeasonYear": "{season}"}, "synergyplaytypes": {"SeasonYear": "{season}"},
    "playoffpicture": {"SeasonID": "2{season_start}"},
    "cumestatsplayer": {"GameIDs": ""}, "cumestatsteam": {"GameIDs": ""},
    "teaminfocommon": {"Season": "", "SeasonType": ""},
    "shotchartlineupdetail": {"GROUP_ID": ""},
    "playercompare": {"PlayerIDList": "", "VsPlayerIDList": ""},
    "teamgamelog": {"SeasonType": "Regular Season"},
    "teamgamelogs": {"LastNGames": ""},
    "videoeventsasset": {"GameEventID": "0"},
}
# Endpoints whose objects are fetched on demand (never expected by reconciliation).
ON_DEMAND = {"videoeventsasset": "one request per play (GameEventID)", "videodetailsasset": "video clips of one player's or team's plays",
             "videoevents": "video of one play", "cumestatsplayer": "a chosen list of games (GameIDs)",
             "cumestatsteam": "a chosen list of games (GameIDs)", "shotchartlineupdetail": "one lineup (GROUP_ID)",
             "playercompare": "chosen players (PlayerIDList)", "playervsplayer": "a chosen opponent (VsPlayerID)",
             "teamvsplayer": "a chosen opponent (VsPlayerID)", "leagueseasonmatchups": "a chosen matchup",
             "playergamestreakfinder": "a search with chosen criteria", "assisttracker": "league-wide, no season parameter set",
             "boxscoretraditionalv2_range": "time windows chosen by the box-score engine",
             "shotchartdetail_player": "a player's shots (all of a season: thousands of rows)"}
CURRENT_ONLY = {"homepagev2", "homepageleaders", "leaderstiles", "playoffpicture", "fantasywidget", "videostatus",
                "playernextngames", "iststandings", "leaguestandingsv3", "commonplayoffseries", "playerindex", "commonallplayers"}
SEASONS = {  # first season of data (stats.nba.com)
    "boxscorehustlev2": "2015-16..", "hustlestatsboxscore": "2015-16..", "leaguehustlestatsplayer": "2015-16..",
    "leaguehustlestatsteam": "2015-16..", "boxscoreplayertrackv3": "2013-14..", "boxscorematchupsv3": "2017-18..",
    "boxscoredefensivev2": "2017-18..", "synergyplaytypes": "2015-16..", "leaguedashptstats": "2013-14..",
    "leaguedashptdefend": "2013-14..", "leaguedashptteamdefend": "2013-14..", "leaguedashplayerptshot": "2013-14..",
    "leaguedashteamptshot": "2013-14..", "leaguedashoppptshot": "2013-14..", "playerdashptpass": "2013-14..",
    "playerdashptreb": "2013-14..", "playerdashptshotdefend": "2013-14..", "playerdashptshots": "2013-14..",
    "teamdashptpass": "2013-14..", "teamdashptreb": "2013-14..", "teamdashptshots": "2013-14..",
    "draftcombinedrillresults": "2000-01..", "draftcombinenonstationaryshooting": "2000-01..",
    "draftcombineplayeranthro": "2000-01..", "draftcombinespotshooting": "2000-01..", "draftcombinestats": "2000-01..",
    "iststandings": "2023-24..", "matchupsrollup": "2017-18..", "leagueseasonmatchups": "2017-18..",
    "playerestimatedmetrics": "2013-14..", "teamestimatedmetrics": "2013-14..", "shotchartleaguewide": "1996-97..",
    "scoreboardv3": "1996-97..",
}
HEAVY = {"shotchartdetail", "leaguegamefinder", "playbyplayv2", "playbyplayv3", "leaguedashlineups", "playerindex",
         "commonallplayers", "leaguegamelog", "drafthistory", "teamgamelogs", "assisttracker", "matchupsrollup"}
DESCRIPTION = {
    "boxscoreadvancedv3": "advanced box score (ratings, percentages, pace)", "boxscoresummaryv2": "game summary: line score, officials, inactive players, game info",
    "commonplayerinfo": "a player's biography", "shotchartdetail": "every shot of a game with its location (TeamID=0: both teams)",
    "hustlestatsboxscore": "hustle box (deflections, contested shots, loose balls)",
}


def flat(x, prefix=""):
    """Flatten an object's scalar leaves (nested objects joined by '.'); arrays of objects are row sets of their own."""
    cols = []
    for k, v in x.items():
        name = prefix + k
        if isinstance(v, dict):
            cols += flat(v, name + ".")
        elif isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
            continue
        else:
            cols.append(name)
    return cols


def nested_sets(x, path, out, in_array):
    """Mirror of parse/nbastats decodeNested: row sets of a document without resultSets."""
    cols = flat(x)
    if cols:
        if in_array:
            cols = ["_parent"] + cols if in_array == "nested" else cols
        add(out, path or "_root", cols)
    for k, v in x.items():
        sub = (path + "." + k) if path else k
        if isinstance(v, dict):
            nested_sets_obj(v, sub, out, in_array)
        elif isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
            for item in v:
                nested_sets(item, sub, out, "nested" if in_array else "top")


def nested_sets_obj(v, path, out, in_array):
    # a nested object's scalars belong to its parent's row; only its arrays make row sets
    for k, w in v.items():
        sub = path + "." + k
        if isinstance(w, dict):
            nested_sets_obj(w, sub, out, in_array)
        elif isinstance(w, list) and w and all(isinstance(i, dict) for i in w):
            for item in w:
                nested_sets(item, sub, out, "nested" if in_array else "top")


def add(out, name, cols):
    if name not in out:
        out[name] = []
    for c in cols:
        if c not in out[name]:
            out[name].append(c)


def headers_of(rs):
    h = rs.get("headers", [])
    if h and isinstance(h[0], dict):  # grouped headers (shot locations)
        cols = list(h[-1]["columnNames"])
        for g in h[:-1]:
            skip, span = g.get("columnsToSkip", 0), g.get("columnSpan", 1)
            for i, cat in enumerate(g["columnNames"]):
                for j in range(span):
                    k = skip + i * span + j
                    if k < len(cols):
                        cols[k] = norm(cat) + "_" + cols[k]
        return cols
    return list(h)


def norm(s):
    out = "".join(c.upper() if c.isalnum() else "_" for c in s)
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def result_sets(doc):
    out = collections.OrderedDict()
    for k in ("resultSets", "resultSet"):
        if k in doc:
            v = doc[k]
            if isinstance(v, dict) and "name" in v:
                v = [v]
            if isinstance(v, list):
                for rs in v:
                    add(out, rs["name"], headers_of(rs))
                return "result_sets", out
            nested_sets(v, "", out, None)  # an object of other things (video endpoints)
            return "nested", out
    body = {k: v for k, v in doc.items() if k not in ("meta", "Meta")}
    nested_sets(body, "", out, None)
    return "nested", out


def q(s):
    return json.dumps(s)


def main(root):
    rows = [r for r in csv.DictReader(open(root + "/nba_stats/index.tsv"), delimiter="\t")]
    by = collections.OrderedDict()
    for r in rows:
        u = up.urlsplit(r["uri"])
        if u.netloc != "stats.nba.com":
            continue
        ep = u.path.rsplit("/", 1)[1].lower()
        if ep == "playbyplayv2" and r["uri_source"] == "converted":
            continue  # the converted files: one original recording is enough for the schema
        by.setdefault(ep, []).append((r, dict(up.parse_qsl(u.query, keep_blank_values=True))))
    print("# nbasim endpoint catalog: every stats.nba.com endpoint nbasim collects, as data.")
    print("# Format and semantics: docs/catalog.md. Bootstrapped from the recordings by")
    print("# scripts/catalog_from_recordings.py; edit this file, not the script's output.")
    print("version: 1")
    print("endpoints:")
    entries = []
    for ep, recs in sorted(by.items()):
        sets = collections.OrderedDict()
        shape = None
        for r, _ in recs:
            doc = json.load(open(root + "/" + r["path"]))
            kind, s = result_sets(doc)
            shape = kind
            for n, c in s.items():
                add(sets, n, c)
        first = recs[0][1]
        if ep == "shotchartdetail":
            gp = [qq for _, qq in recs if qq.get("GameID")]
            first = gp[0]
            pl = [qq for _, qq in recs if not qq.get("GameID")][0]
            entries.append(("shotchartdetail_player", ep, pl, sets, shape, dict(scope="player", match=["GameID="],
                description="a player's shots of a season (GameID empty)")))
        if ep in FIXED:
            entries.append((ep, ep, None, sets, shape, FIXED[ep]))
            if ep == "boxscoretraditionalv2":
                entries.insert(len(entries) - 1, ("boxscoretraditionalv2_range", ep, None, sets, shape, dict(scope="game",
                    params="EndPeriod=0&EndRange={EndRange:\\d+}&GameID={game_id}&RangeType=2&StartPeriod=0&StartRange={StartRange:\\d+}",
                    key="{game_id}_{StartRange}-{EndRange}", ignore=["StartPeriod", "EndPeriod"], match=["RangeType=2", "StartRange!=0"],
                    description="box score of a time window (tenths of seconds)")))
            continue
        entries.append((ep, ep, first, sets, shape, {}))
    # Endpoints an nba_simulator bucket holds that no recording here answers
    # (nba_api wraps them): declared by hand so adopted objects have a home.
    tg = [qq for _, qq in by["teamgamelogs"]][0]
    entries.append(("boxscoreadvancedv2", "boxscoreadvancedv2", None, {"PlayerStats": [], "TeamStats": []}, "result_sets", dict(scope="game",
        params="EndPeriod=0&EndRange=0&GameID={game_id}&RangeType=0&StartPeriod=0&StartRange=0",
        ignore=["StartPeriod", "EndPeriod", "StartRange", "EndRange", "RangeType"], seasons="1996-97..2024-25",
        description="advanced box score (v2, retired by the NBA in 2025; no recording here)")))
    entries.append(("playergamelogs", "playergamelogs", dict(tg, LastNGames=""), {"PlayerGameLogs": []}, "result_sets",
        dict(scope="season", description="every player's game lines of a season (no recording here)")))
    entries.sort(key=lambda e: e[0])
    for name, ep, first, sets, shape, fx in entries:
        scope = fx.get("scope") or SCOPE.get(name)
        if first is not None and "params" not in fx:
            d = dict(first)
            over = DEFAULTS.get(name, {})
            if not scope:
                if d.get("GameID"):
                    scope = "game"
                elif d.get("GameDate"):
                    scope = "date"
                elif d.get("PlayerID") and d.get("PlayerID") != "0":
                    scope = "player_season" if d.get("Season") or d.get("SeasonYear") else "player"
                elif d.get("TeamID") and d.get("TeamID") != "0":
                    scope = "team_season" if d.get("Season") else "team"
                elif d.get("Season") or d.get("SeasonYear"):
                    scope = "season"
                else:
                    scope = "league"
            for k in list(d):
                if k in over:
                    d[k] = over[k]
                    continue
                if k == "GameID" and scope == "game":
                    d[k] = "{game_id}"
                elif k == "PlayerID" and scope in ("player", "player_season"):
                    d[k] = "{player_id}"
                elif k == "TeamID" and scope in ("team", "team_season"):
                    d[k] = "{team_id}"
                elif k == "Season" and scope != "league" and d[k]:
                    d[k] = "{season}"
                elif k == "SeasonYear" and scope != "league" and d[k]:
                    d[k] = "{season}"
                elif k == "GameDate" and scope == "date":
                    d[k] = "{date}"
                elif k == "SeasonType" and scope == "game" and d[k]:
                    d[k] = "{season_type}"
            params = "&".join(k + "=" + up.quote(v, safe="{}:|\\,-") for k, v in sorted(d.items()))
        else:
            params = fx["params"]
        print("  - name: " + name)
        if ep != name:
            print("    endpoint: " + ep)
        print("    scope: " + scope)
        print("    params: " + q(params))
        for k in ("key", "items"):
            if k in fx:
                print("    %s: %s" % (k, q(fx[k]) if k == "key" else json.dumps(fx[k])))
        if fx.get("ignore"):
            print("    ignore: " + json.dumps(fx["ignore"]))
        if fx.get("match"):
            print("    match: " + json.dumps(fx["match"]))
        seasons = fx.get("seasons") or SEASONS.get(name)
        if name in CURRENT_ONLY:
            seasons = "current"
        if seasons and scope not in ("league", "team", "player"):
            print("    seasons: " + q(seasons))
        if fx.get("required"):
            print("    required: true")
        if name in ON_DEMAND:
            print("    on_demand: " + q(ON_DEMAND[name]))
        if fx.get("freshness_days"):
            print("    freshness_days: %d" % fx["freshness_days"])
        if name in HEAVY or ep in HEAVY:
            print("    rate: heavy")
        desc = fx.get("description") or DESCRIPTION.get(name)
        if desc:
            print("    description: " + q(desc))
        if shape == "nested":
            print("    shape: nested")
        print("    result_sets:")
        for n, cols in sets.items():
            if not cols:
                print("      - name: " + q(n))
                continue
            print("      - name: " + q(n))
            print("        headers: " + json.dumps(cols))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
