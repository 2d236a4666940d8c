package reports

import (
	"bytes"
	"errors"
	"time"

	"gongkai/models"
)

// RenderAnnualReport renders r as it is published: the PDF in the official
// layout (WriteAnnualReportPDF, with publishedAt as its creation date) and
// the XLSX workbook (WriteAnnualReportXLSX). It has the shape of
// store.AnnualReportRenderer. Text the embedded font cannot draw is
// refused with an EINVALID error the office can act on.
func RenderAnnualReport(agency models.Agency, r models.AnnualReport, publishedAt time.Time) (pdf, xlsx []byte, err error) {
	var p, x bytes.Buffer
	if err := WriteAnnualReportPDF(&p, agency, r, publishedAt); err != nil {
		var mg *MissingGlyphsError
		if errors.As(err, &mg) {
			return nil, nil, models.WrapError(models.EINVALID, err,
				"报告中有字库无法显示的字符（"+string(mg.Runes)+"），请修改正文或机关名称后重新发布。")
		}
		return nil, nil, err
	}
	if err := WriteAnnualReportXLSX(&x, agency, r); err != nil {
		return nil, nil, err
	}
	return p.Bytes(), x.Bytes(), nil
}
