package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/models/store/storetest"
	"gongkai/reports"
)

// registerRows returns n applications in a realistic mix of states over
// about two years before the store's day, with 1,000 applicants.
func registerRows(n int, sections []int64) []storetest.Row {
	statuses := []models.Status{models.StatusAnswered, models.StatusAnswered, models.StatusAnswered, models.StatusArchived,
		models.StatusProcessing, models.StatusTerminated, models.StatusWithdrawn, models.StatusPending}
	outcomes := []models.Outcome{models.OutcomeDisclose, models.OutcomePartial, models.OutcomeNotHeld, models.OutcomeWithholdProcess}
	start := models.MustParseDate("2024-02-01")
	rows := make([]storetest.Row, n)
	for i := range rows {
		received := start.AddDays(i * 730 / n)
		r := storetest.Row{ApplicantName: "申请人" + strconv.Itoa(i%1000), Status: statuses[i%len(statuses)],
			ReceivedOn: received, DueOn: received.AddDays(28), Lead: sections[i%len(sections)],
			Title:       "关于" + strconv.Itoa(2020+i%6) + "年度城乡低保资金发放情况的信息（第" + strconv.Itoa(i) + "件）",
			Description: strings.Repeat("请提供按区县汇总的发放金额和人数。", 3)}
		if i%7 == 0 {
			r.ApplicantKind = models.ApplicantCommercial
		}
		switch r.Status {
		case models.StatusAnswered, models.StatusArchived:
			r.ClosedOn, r.Outcome = received.AddDays(20), outcomes[i%len(outcomes)]
		case models.StatusTerminated:
			r.ClosedOn, r.Outcome = received.AddDays(25), models.OutcomeNoCorrection
		case models.StatusWithdrawn:
			r.ClosedOn, r.Outcome, r.ReceivedOn, r.DueOn = received.AddDays(1), models.OutcomeWithdrawn, models.Date{}, models.Date{}
			r.SubmittedAt = received.Time(storetest.Shanghai)
		case models.StatusPending:
			r.ReceivedOn, r.DueOn, r.Lead = models.Date{}, models.Date{}, 0
			r.SubmittedAt = received.Time(storetest.Shanghai)
		}
		rows[i] = r
	}
	return rows
}

// memPeak samples the heap in use while fn runs.
func memPeak(fn func() error) (heap uint64, err error) {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	err = fn()
	close(stop)
	wg.Wait()
	return peak.Load(), err
}

// peakRSS reads the process's peak resident set (VmHWM) from /proc, 0
// where there is none.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// exportChildEnv names the database TestRegisterExportChild exports from.
const exportChildEnv = "GONGKAI_REGISTER_EXPORT_DSN"

// TestRegisterExportChild is BenchmarkRegisterExport's measuring process:
// it exports the register of the database the parent filled, and nothing
// else, so that its peak resident set is the export's. It is skipped
// unless the parent runs it.
func TestRegisterExportChild(t *testing.T) {
	dsn := os.Getenv(exportChildEnv)
	if dsn == "" {
		t.Skip("run by BenchmarkRegisterExport")
	}
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 2, 10, 9, 30, 0, 0, storetest.Shanghai))
	s, err := store.Open(ctx, store.Config{DSN: dsn, Keys: storetest.Keys(t), Location: storetest.Shanghai, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ag := storetest.DefaultAgency(t, s)
	q := models.ApplicationQuery{AgencyID: ag.ID}
	if err := q.Normalize(); err != nil {
		t.Fatal(err)
	}
	var out countingWriter
	written := 0
	start := time.Now()
	heap, err := memPeak(func() error {
		var err error
		written, err = reports.WriteRegisterXLSX(&out, reports.RegisterDoc{Agency: *ag, Criteria: "全部申请"},
			func(yield func(*models.RegisterRow) error) error {
				return s.EachRegisterRow(ctx, q, models.AccessScope{Agency: true}, false, yield)
			})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("EXPORT rows=%d seconds=%.3f heap=%d rss=%d bytes=%d\n", written, time.Since(start).Seconds(), heap, peakRSS(), out.n)
}

// BenchmarkRegisterExport streams the case register of 10,000, 100,000
// and 300,000 applications (the office's unfiltered search) from the
// store's cursor into the workbook, each in a fresh process
// (TestRegisterExportChild) that does nothing else, and reports the
// export's time, the peak heap in use and the process's peak resident
// set. Memory stops growing once the sheet outgrows excelize's 16 MiB
// chunk: 100,000 and 300,000 applications take the same. BENCHMARKS.md
// has the figures.
//
//	go test -run='^$' -bench=BenchmarkRegisterExport -benchtime=1x ./models/store
func BenchmarkRegisterExport(b *testing.B) {
	for _, engine := range storetest.Engines() {
		for _, n := range []int{10_000, 100_000, 300_000} {
			b.Run(fmt.Sprintf("%s/rows=%d", engine, n), func(b *testing.B) {
				s, _ := storetest.Open(b, engine, storetest.Options{})
				ctx := context.Background()
				ag := storetest.DefaultAgency(b, s)
				secs, err := s.Sections(ctx, ag.ID)
				if err != nil {
					b.Fatal(err)
				}
				var ids []int64
				for _, sec := range secs {
					ids = append(ids, sec.ID)
				}
				storetest.InsertRows(b, s, ag.ID, registerRows(n, ids))
				for b.Loop() {
					cmd := exec.Command(os.Args[0], "-test.run=^TestRegisterExportChild$", "-test.count=1")
					cmd.Env = append(os.Environ(), exportChildEnv+"="+s.DSN())
					out, err := cmd.CombinedOutput()
					if err != nil {
						b.Fatalf("export process: %v\n%s", err, out)
					}
					var rows, heap, rss, size int64
					var secs float64
					line := string(out[strings.Index(string(out), "EXPORT "):])
					if _, err := fmt.Sscanf(line, "EXPORT rows=%d seconds=%f heap=%d rss=%d bytes=%d", &rows, &secs, &heap, &rss, &size); err != nil || rows != int64(n) {
						b.Fatalf("export process said %q: %v", out, err)
					}
					b.ReportMetric(secs, "export-s")
					b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
					b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
					b.ReportMetric(float64(size)/1e6, "xlsx-MB")
				}
			})
		}
	}
}
