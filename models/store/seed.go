package store

import (
	"context"
	"database/sql"
	"fmt"

	"gongkai/models"
)

// DefaultAgency is the agency a fresh deployment starts with: the bureau
// gongkai was first built for. Everything here is ordinary data an
// administrator edits; the fields marked 待核对 must be checked against the
// bureau's own records before letters go out (the agency setting
// SettingProfileUnverified stays on until the profile is saved).
func DefaultAgency() models.Agency {
	return models.Agency{
		Code:          "TLMZ",
		Name:          "铁岭市民政局",
		OfficeName:    "铁岭市民政局政府信息公开工作机构（办公室）",
		OfficeAddress: "辽宁省铁岭市（详细地址待核对）",
		PostCode:      "",
		OfficeHours:   "周一至周五（法定节假日除外）上午8:30—11:30，下午13:30—17:00（待核对）",
		Phone:         "待核对",
		Website:       "",
		// 行政复议法（2023年修订）: a city government department's decisions are
		// reviewed by the city government (rules.md §1.11, to be verified).
		ReconsiderationBody: "铁岭市人民政府",
		Court:               "有管辖权的人民法院（待核对）",
		LetterPrefix:        "铁民公开",
	}
}

// DefaultSections are a municipal civil affairs bureau's usual sections
// with routing keywords; editable data.
func DefaultSections() []models.Section {
	return []models.Section{
		{Name: "办公室", Keywords: []string{"政府信息公开", "机构", "人事", "档案", "预算", "决算"}},
		{Name: "社会救助科", Keywords: []string{"低保", "最低生活保障", "特困", "临时救助", "救助"}},
		{Name: "养老服务科", Keywords: []string{"养老", "老年人", "养老机构", "高龄补贴", "居家养老"}},
		{Name: "儿童福利科", Keywords: []string{"儿童", "孤儿", "收养", "未成年人", "福利院"}},
		{Name: "社会事务科", Keywords: []string{"婚姻登记", "结婚", "离婚", "殡葬", "残疾人", "流浪乞讨"}},
		{Name: "区划地名科", Keywords: []string{"行政区划", "地名", "界线", "门牌"}},
		{Name: "社会组织管理科", Keywords: []string{"社会组织", "社会团体", "民办非企业", "基金会", "年检"}},
		{Name: "慈善事业促进和社会工作科", Keywords: []string{"慈善", "募捐", "社会工作", "志愿服务", "福利彩票"}},
		{Name: "规划财务科", Keywords: []string{"资金", "财务", "专项资金", "规划", "统计"}},
	}
}

// Agency settings names.
const (
	// SettingProfileUnverified is "1" while the seeded profile has not been
	// checked by an administrator.
	SettingProfileUnverified = "profile_unverified"
)

// Bootstrap is the result of Seed on a fresh database.
type Bootstrap struct {
	Agency        *models.Agency
	AdminUsername string
	AdminPassword string // in clear, printed once to the console
}

// Seed prepares a fresh database: the default agency with its sections and
// an administrator with a random password that must be changed at first
// login. It returns nil when the database already has an agency, so a
// second start neither reseeds nor prints a new password. Two processes
// starting at once on one database seed it once.
func (s *Store) Seed(ctx context.Context) (*Bootstrap, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies`).Scan(&n); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if n > 0 {
		return nil, nil
	}
	agency := DefaultAgency()
	password := models.NewPassword(16)
	hash, err := models.HashPassword(password)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO agencies (code, name, office_name, office_address, post_code,
			office_hours, phone, fax, email, website, reconsideration_body, court, letter_prefix, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			agency.Code, agency.Name, agency.OfficeName, agency.OfficeAddress, agency.PostCode, agency.OfficeHours,
			agency.Phone, agency.Fax, agency.Email, agency.Website, agency.ReconsiderationBody, agency.Court,
			agency.LetterPrefix, now, now)
		if err != nil {
			return err
		}
		if agency.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for i, sec := range DefaultSections() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sections (agency_id, name, keywords, active, sort_order, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, agency.ID, sec.Name, joinKeywords(sec.Keywords), true, i+1, now, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO agency_settings (agency_id, name, value, updated_at) VALUES (?, ?, ?, ?)`,
			agency.ID, SettingProfileUnverified, "1", now); err != nil {
			return err
		}
		admin := models.User{AgencyID: agency.ID, Username: "admin", DisplayName: "系统管理员",
			Roles: []models.Role{models.RoleAdmin}, MustChangePassword: true}
		res, err = tx.ExecContext(ctx, `INSERT INTO users (agency_id, username, display_name, password_hash, active,
			must_change_password, failed_logins, password_changed_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`, admin.AgencyID, admin.Username, admin.DisplayName, hash, true, true, now, now, now)
		if err != nil {
			return err
		}
		if admin.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return insertUserRoles(ctx, tx, &admin)
	})
	if isUniqueViolation(err) {
		return nil, nil // another process seeded first
	}
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	agency.CreatedAt, agency.UpdatedAt = now, now
	return &Bootstrap{Agency: &agency, AdminUsername: "admin", AdminPassword: password}, nil
}
