package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"gongkai/models"
	"gongkai/models/store"
	"gongkai/reports"
)

// reportCommand compiles an annual report (store.CompileAnnualReport:
// tables, narrative, checks) and writes it as PDF and XLSX:
//
//	portal report -year 2025 [-agency CODE] [-pdf FILE] [-xlsx FILE] [-path sql|stream]
//
// It prints the checks that fail and how long each step took, and exits 1
// when a check fails, after writing the files (a draft to review). It
// never writes to the database.
// -path sql or stream counts table 三 by that path instead of the one the
// portal uses on the engine (store.ProductionCountPath), to compare them;
// the checks are then left out.
func reportCommand(ctx context.Context, cfg *Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	const usageLine = "usage: portal report -year 2025 [-agency CODE] [-pdf FILE] [-xlsx FILE] [-path sql|stream]"
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	year := fs.Int("year", 0, "the report's year")
	agencyCode := fs.String("agency", "", "agency code (default: the first agency)")
	pdfPath := fs.String("pdf", "", "write the PDF to FILE")
	xlsxPath := fs.String("xlsx", "", "write the XLSX to FILE")
	path := fs.String("path", "", "count table 三 by sql (aggregation) or stream instead of the portal's path for the engine")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *year == 0 || (*path != "" && *path != "sql" && *path != "stream") {
		fmt.Fprintln(stderr, usageLine)
		return 2
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return 1
	}
	defer st.Close()
	if pending, err := st.PendingMigrations(ctx); err != nil || pending > 0 {
		fmt.Fprintf(stderr, "report: the database is not migrated (pending %d, %v); run portal migrate first\n", pending, err)
		return 1
	}
	agency, err := selectAgency(ctx, st, *agencyCode)
	if err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 1
	}

	start := time.Now()
	var r models.AnnualReport
	var violations []models.Violation
	if *path != "" {
		p := store.CountAggregated
		if *path == "stream" {
			p = store.CountStreamed
		}
		var rs []models.AnnualReport
		rs, err = st.ComputeAnnualReports(ctx, agency.ID, *year, *year, p)
		if err == nil {
			r = rs[0]
			r.Narrative = models.DraftNarrative(*agency, r)
		}
	} else {
		*path = st.ProductionCountPath().String()
		r, violations, err = st.CompileAnnualReport(ctx, agency.ID, *year)
	}
	if err != nil {
		fmt.Fprintf(stderr, "report: %s (%v)\n", models.ErrorMessage(err), err)
		return 1
	}
	compiled := time.Since(start)
	t := r.Table3
	fmt.Fprintf(stdout, "%s：新收%d件，上年结转%d件，办结%d件，结转下年度%d件；行政复议%d件，行政诉讼%d件（%s，统计用时 %s）\n",
		models.ReportTitle(agency.Name, r.Year), t[models.Table3New][models.Table3TotalCol],
		t[models.Table3CarriedOver][models.Table3TotalCol], t[models.Table3Total][models.Table3TotalCol],
		t[models.Table3CarriedForward][models.Table3TotalCol], r.Table4[models.Table4Total],
		r.Table4[5+models.Table4Total]+r.Table4[10+models.Table4Total], *path, compiled.Round(time.Millisecond))

	start = time.Now()
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{
		{*pdfPath, func(w io.Writer) error { return reports.WriteAnnualReportPDF(w, *agency, r, time.Now()) }},
		{*xlsxPath, func(w io.Writer) error { return reports.WriteAnnualReportXLSX(w, *agency, r) }},
	} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			fmt.Fprintf(stderr, "report: %v\n", err)
			return 1
		}
		err = out.write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(stderr, "report: write %s: %v\n", out.path, err)
			return 1
		}
	}
	if *pdfPath != "" || *xlsxPath != "" {
		fmt.Fprintf(stdout, "已写出文件（用时 %s）\n", time.Since(start).Round(time.Millisecond))
	}
	if len(violations) > 0 {
		fmt.Fprintf(stdout, "有%d处未通过核对，不能发布：\n", len(violations))
		for i, v := range violations {
			if i == 20 {
				fmt.Fprintf(stdout, "  ……另有%d处\n", len(violations)-20)
				break
			}
			fmt.Fprintf(stdout, "  %s\n", v.Message)
		}
		return 1
	}
	return 0
}
