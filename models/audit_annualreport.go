package models

// Audit actions and the object type of the annual report (条例第四十九条、
// 第五十条) and of the synthetic data generator. Every write to the
// report's inputs and every publication is recorded in the trail in the
// same transaction as the write (store.auditTx).
const (
	AuditReportFiguresSaved   AuditAction = "annual_report.figures_saved"   // table 二 figures the office enters
	AuditReportNarrativeSaved AuditAction = "annual_report.narrative_saved" // sections 一、五、六
	AuditReportOpeningSaved   AuditAction = "annual_report.opening_saved"   // the first year's carry-over
	AuditReportOpeningDeleted AuditAction = "annual_report.opening_deleted"
	AuditReportLegacyImported AuditAction = "annual_report.legacy_imported" // cases from before go-live
	AuditReportPublished      AuditAction = "annual_report.published"       // version 1
	AuditReportCorrected      AuditAction = "annual_report.corrected"       // version n+1 supersedes n (更正)
	// AuditSyntheticSeeded marks a database filled with synthetic data by
	// `portal seed`, so that nobody mistakes its figures for real ones.
	AuditSyntheticSeeded AuditAction = "seed.synthetic"

	AuditObjectAnnualReport = "annual_report" // object id: the year, e.g. "2025"
)

// AnnualReportAuditActions lists the actions of this file in the order an
// audit filter offers them.
var AnnualReportAuditActions = []AuditAction{
	AuditReportFiguresSaved, AuditReportNarrativeSaved, AuditReportOpeningSaved, AuditReportOpeningDeleted,
	AuditReportLegacyImported, AuditReportPublished, AuditReportCorrected, AuditSyntheticSeeded,
}

// AnnualReportAuditLabel returns an action of this file in Chinese, or ""
// for another action.
func AnnualReportAuditLabel(a AuditAction) string {
	switch a {
	case AuditReportFiguresSaved:
		return "保存年度报告表二填报数据"
	case AuditReportNarrativeSaved:
		return "保存年度报告正文"
	case AuditReportOpeningSaved:
		return "保存首年上年结转数"
	case AuditReportOpeningDeleted:
		return "删除首年上年结转数"
	case AuditReportLegacyImported:
		return "导入上线前的历史申请"
	case AuditReportPublished:
		return "发布政府信息公开工作年度报告"
	case AuditReportCorrected:
		return "更正已发布的年度报告"
	case AuditSyntheticSeeded:
		return "生成模拟数据"
	}
	return ""
}
