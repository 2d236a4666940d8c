package models

// ReportRow is one of the 21 leaf rows of table 三 of the annual report
// (国办公开办函〔2021〕30号, rules.md §3.4). Every closed application is
// counted in exactly one of them.
type ReportRow int

// The leaf rows, in the order the official table prints them.
const (
	RowDisclosed               ReportRow = iota + 1 // （一）予以公开
	RowPartial                                      // （二）部分公开
	RowWithheldSecret                               // （三）1.属于国家秘密
	RowWithheldLaw                                  // （三）2.其他法律行政法规禁止公开
	RowWithheldSecurity                             // （三）3.危及“三安全一稳定”
	RowWithheldThirdParty                           // （三）4.保护第三方合法权益
	RowWithheldInternal                             // （三）5.属于三类内部事务信息
	RowWithheldProcess                              // （三）6.属于四类过程性信息
	RowWithheldEnforcement                          // （三）7.属于行政执法案卷
	RowWithheldQuery                                // （三）8.属于行政查询事项
	RowUnavailableNotHeld                           // （四）1.本机关不掌握相关政府信息
	RowUnavailableCreate                            // （四）2.没有现成信息需要另行制作
	RowUnavailableUnclear                           // （四）3.补正后申请内容仍不明确
	RowNotProcessedPetition                         // （五）1.信访举报投诉类申请
	RowNotProcessedRepeat                           // （五）2.重复申请
	RowNotProcessedPublication                      // （五）3.要求提供公开出版物
	RowNotProcessedMass                             // （五）4.无正当理由大量反复申请
	RowNotProcessedConfirm                          // （五）5.要求行政机关确认或重新出具已获取信息
	RowOtherNoCorrection                            // （六）1.申请人无正当理由逾期不补正…
	RowOtherFeeUnpaid                               // （六）2.申请人逾期未按收费通知要求缴纳费用…
	RowOtherOther                                   // （六）3.其他
)

// ReportRowCount is the number of leaf rows in table 三.
const ReportRowCount = 21

// ReportRowInfo describes a leaf row as the official table prints it.
type ReportRowInfo struct {
	Row   ReportRow
	Group string // the 二级 label, e.g. （三）不予公开
	Label string // the 三级 label, e.g. 1.属于国家秘密; "" for rows without sub-rows
}

// ReportRows lists the 21 leaf rows with their verbatim labels (rules.md
// §3.4). The joiner in the 其他处理 rows is "、" (rules.md notes a medium
// confidence in it).
var ReportRows = [ReportRowCount]ReportRowInfo{
	{RowDisclosed, "（一）予以公开", ""},
	{RowPartial, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""},
	{RowWithheldSecret, "（三）不予公开", "1.属于国家秘密"},
	{RowWithheldLaw, "（三）不予公开", "2.其他法律行政法规禁止公开"},
	{RowWithheldSecurity, "（三）不予公开", "3.危及“三安全一稳定”"},
	{RowWithheldThirdParty, "（三）不予公开", "4.保护第三方合法权益"},
	{RowWithheldInternal, "（三）不予公开", "5.属于三类内部事务信息"},
	{RowWithheldProcess, "（三）不予公开", "6.属于四类过程性信息"},
	{RowWithheldEnforcement, "（三）不予公开", "7.属于行政执法案卷"},
	{RowWithheldQuery, "（三）不予公开", "8.属于行政查询事项"},
	{RowUnavailableNotHeld, "（四）无法提供", "1.本机关不掌握相关政府信息"},
	{RowUnavailableCreate, "（四）无法提供", "2.没有现成信息需要另行制作"},
	{RowUnavailableUnclear, "（四）无法提供", "3.补正后申请内容仍不明确"},
	{RowNotProcessedPetition, "（五）不予处理", "1.信访举报投诉类申请"},
	{RowNotProcessedRepeat, "（五）不予处理", "2.重复申请"},
	{RowNotProcessedPublication, "（五）不予处理", "3.要求提供公开出版物"},
	{RowNotProcessedMass, "（五）不予处理", "4.无正当理由大量反复申请"},
	{RowNotProcessedConfirm, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"},
	{RowOtherNoCorrection, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
	{RowOtherFeeUnpaid, "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
	{RowOtherOther, "（六）其他处理", "3.其他"},
}

// Info returns the row's labels.
func (r ReportRow) Info() ReportRowInfo {
	if r < 1 || int(r) > ReportRowCount {
		return ReportRowInfo{}
	}
	return ReportRows[r-1]
}

// Outcome is the statutory result of an application: what the agency
// decided and on which article. Several outcomes can share one report row
// (Art. 36(4) and 36(5) are both 无法提供-1), but each outcome has exactly
// one row.
type Outcome string

// The outcomes gongkai knows. The string values are stored in the database
// and must not change.
const (
	OutcomeProactive          Outcome = "disclose_proactive"     // 条例第三十六条第（一）项: already proactively disclosed; say where
	OutcomeDisclose           Outcome = "disclose"               // 条例第三十六条第（二）项: provided
	OutcomePartial            Outcome = "partial"                // 条例第三十七条: separable, partly provided
	OutcomeWithholdSecret     Outcome = "withhold_secret"        // 条例第十四条: state secret
	OutcomeWithholdLaw        Outcome = "withhold_law"           // 条例第十四条: prohibited by law or administrative regulation
	OutcomeWithholdSecurity   Outcome = "withhold_security"      // 条例第十四条: 三安全一稳定
	OutcomeWithholdThirdParty Outcome = "withhold_third_party"   // 条例第十五条: trade secret, privacy
	OutcomeWithholdInternal   Outcome = "withhold_internal"      // 条例第十六条第一款: internal affairs
	OutcomeWithholdProcess    Outcome = "withhold_process"       // 条例第十六条第二款: process information
	OutcomeWithholdCaseFile   Outcome = "withhold_case_file"     // 条例第十六条第二款: law-enforcement case files
	OutcomeWithholdQuery      Outcome = "withhold_query"         // 条例第三十六条第（七）项: special access rules (行政查询事项)
	OutcomeNotHeld            Outcome = "unavailable_not_held"   // 条例第三十六条第（四）项: does not exist after search
	OutcomeNotThisAgency      Outcome = "unavailable_not_ours"   // 条例第三十六条第（五）项: another agency's; name it
	OutcomeNeedsCreation      Outcome = "unavailable_create"     // 条例第三十八条: would need processing or analysis
	OutcomeStillUnclear       Outcome = "unavailable_unclear"    // 条例第三十条: still unclear after correction
	OutcomePetition           Outcome = "not_processed_petition" // 条例第三十九条第一款: petition, complaint, report
	OutcomeRepeat             Outcome = "not_processed_repeat"   // 条例第三十六条第（六）项: repeated application
	OutcomePublication        Outcome = "not_processed_publication"
	OutcomeMass               Outcome = "not_processed_mass"         // 条例第三十五条: unreasonable mass or repeated applications
	OutcomeConfirmation       Outcome = "not_processed_confirmation" // asks to confirm or re-issue information already obtained
	OutcomeNoCorrection       Outcome = "other_no_correction"        // 条例第三十条: not corrected in time, deemed abandoned
	OutcomeFeeUnpaid          Outcome = "other_fee_unpaid"           // 国办函〔2020〕109号: fee not paid in time
	OutcomeWithdrawn          Outcome = "other_withdrawn"            // withdrawn by the applicant
	OutcomeOther              Outcome = "other"                      // anything else
)

// OutcomeInfo is what the law and the report say about an outcome.
type OutcomeInfo struct {
	Outcome Outcome
	Label   string    // how staff and applicants see it
	Basis   string    // the article, as a letter cites it
	Row     ReportRow // the one leaf row of table 三
	// ReasonRequired is true where the law requires reasons in the letter
	// (不予公开, 部分公开, 条例第三十六条第（三）、（五）项).
	ReasonRequired bool
}

// Outcomes lists every outcome in the order staff choose them.
var Outcomes = []OutcomeInfo{
	{OutcomeProactive, "予以公开（已主动公开）", "《中华人民共和国政府信息公开条例》第三十六条第（一）项", RowDisclosed, false},
	{OutcomeDisclose, "予以公开", "《中华人民共和国政府信息公开条例》第三十六条第（二）项", RowDisclosed, false},
	{OutcomePartial, "部分公开", "《中华人民共和国政府信息公开条例》第三十七条", RowPartial, true},
	{OutcomeWithholdSecret, "不予公开（属于国家秘密）", "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项", RowWithheldSecret, true},
	{OutcomeWithholdLaw, "不予公开（其他法律行政法规禁止公开）", "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项", RowWithheldLaw, true},
	{OutcomeWithholdSecurity, "不予公开（危及“三安全一稳定”）", "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项", RowWithheldSecurity, true},
	{OutcomeWithholdThirdParty, "不予公开（保护第三方合法权益）", "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项", RowWithheldThirdParty, true},
	{OutcomeWithholdInternal, "不予公开（属于三类内部事务信息）", "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项", RowWithheldInternal, true},
	{OutcomeWithholdProcess, "不予公开（属于四类过程性信息）", "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项", RowWithheldProcess, true},
	{OutcomeWithholdCaseFile, "不予公开（属于行政执法案卷）", "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项", RowWithheldEnforcement, true},
	{OutcomeWithholdQuery, "不予公开（属于行政查询事项）", "《中华人民共和国政府信息公开条例》第三十六条第（七）项", RowWithheldQuery, true},
	{OutcomeNotHeld, "无法提供（本机关不掌握相关政府信息）", "《中华人民共和国政府信息公开条例》第三十六条第（四）项", RowUnavailableNotHeld, false},
	{OutcomeNotThisAgency, "无法提供（不属于本机关负责公开）", "《中华人民共和国政府信息公开条例》第三十六条第（五）项", RowUnavailableNotHeld, true},
	{OutcomeNeedsCreation, "无法提供（没有现成信息需要另行制作）", "《中华人民共和国政府信息公开条例》第三十八条", RowUnavailableCreate, true},
	{OutcomeStillUnclear, "无法提供（补正后申请内容仍不明确）", "《中华人民共和国政府信息公开条例》第三十条", RowUnavailableUnclear, true},
	{OutcomePetition, "不予处理（信访举报投诉类申请）", "《中华人民共和国政府信息公开条例》第三十九条第一款", RowNotProcessedPetition, true},
	{OutcomeRepeat, "不予处理（重复申请）", "《中华人民共和国政府信息公开条例》第三十六条第（六）项", RowNotProcessedRepeat, true},
	{OutcomePublication, "不予处理（要求提供公开出版物）", "《中华人民共和国政府信息公开条例》第三十九条第二款", RowNotProcessedPublication, true},
	{OutcomeMass, "不予处理（无正当理由大量反复申请）", "《中华人民共和国政府信息公开条例》第三十五条", RowNotProcessedMass, true},
	{OutcomeConfirmation, "不予处理（要求行政机关确认或重新出具已获取信息）", "《中华人民共和国政府信息公开条例》第三十九条", RowNotProcessedConfirm, true},
	{OutcomeNoCorrection, "其他处理（逾期未补正）", "《中华人民共和国政府信息公开条例》第三十条", RowOtherNoCorrection, false},
	{OutcomeFeeUnpaid, "其他处理（逾期未缴纳信息处理费）", "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", RowOtherFeeUnpaid, false},
	{OutcomeWithdrawn, "其他处理（申请人撤回申请）", "", RowOtherOther, false},
	{OutcomeOther, "其他处理", "", RowOtherOther, true},
}

var outcomeIndex = func() map[Outcome]OutcomeInfo {
	m := make(map[Outcome]OutcomeInfo, len(Outcomes))
	for _, o := range Outcomes {
		m[o.Outcome] = o
	}
	return m
}()

// Info returns what the law says about o; ok is false for an unknown value.
func (o Outcome) Info() (OutcomeInfo, bool) {
	i, ok := outcomeIndex[o]
	return i, ok
}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { _, ok := outcomeIndex[o]; return ok }

// Row returns the leaf row of table 三 that o is counted in, or 0 for an
// unknown outcome.
func (o Outcome) Row() ReportRow { return outcomeIndex[o].Row }

// Label returns the outcome's Chinese label.
func (o Outcome) Label() string { return outcomeIndex[o].Label }
