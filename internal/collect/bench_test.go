package collect

import (
	"github.com/nbasim/nbasim/internal/timing"

	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/testutil"
)

// BenchmarkFetch fetches every recorded game of every source (486 objects,
// 105.7 MB) from the replay server into a fresh file lake per iteration,
// with rate limits off: validation, HTTP and lake writes are what is
// measured. Reports objects/s, MB/s and CPU time per object.
func BenchmarkFetch(b *testing.B) {
	rs, err := replay.Load(testutil.RealDataDir(b), replay.Options{})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(rs)
	defer hs.Close()
	cfg := map[string]config.Source{}
	for n, u := range replay.BaseURLs(hs.URL) {
		cfg[n] = config.Source{BaseURL: u}
	}
	reg := Registry(cfg)
	var probe testing.T
	reqs := recordedRequests(&probe, rs, reg)
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var objs, bytes int64
			cpu0 := timing.CPUTime()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				client := source.NewClient(nil)
				for _, s := range reg.All() {
					p := s.Policy()
					p.Rate, p.Concurrency = 0, workers // rate limits off
					client.SetPolicy(s.Host(), p)
				}
				lk, err := lake.Open(context.Background(), "file://"+b.TempDir(), "")
				if err != nil {
					b.Fatal(err)
				}
				c := &Collector{Lake: lk, Client: client, Registry: reg}
				sum, err := c.Fetch(context.Background(), "bench", reqs, Options{Workers: workers})
				if err != nil || sum.FailedTotal() != 0 {
					b.Fatalf("%v %s", err, sum)
				}
				objs += int64(sum.Fetched)
				bytes += sum.Bytes
				lk.Close()
			}
			el := time.Since(start).Seconds()
			cpu := timing.CPUTime() - cpu0
			b.ReportMetric(float64(objs)/el, "objects/s")
			b.ReportMetric(float64(bytes)/1e6/el, "MB/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(objs), "cpu-µs/object")
		})
	}
}
