/// The columns a customer import or export understands.
///
/// Raw values are the snake_case header names Guanxi writes on export, so an
/// exported file re-imports without a mapping.
package enum ImportField: String, CaseIterable, Sendable {
    /// Guanxi's own customer id (written by export); a row with a known id updates that customer.
    case id
    /// `person` or `organization`.
    case kind
    case name
    /// 姓 / last name and 名 / first name in separate columns; joined in the name's own order (`PersonName`).
    case familyName = "family_name"
    case givenName = "given_name"
    case organization
    case title
    case email
    case phone
    case wechat
    /// `namespace:value`, e.g. `shopify:12345`.
    case externalID = "external_id"
    case stage
    case tier
    /// E-mail address of the owning user.
    case owner
    case source
    case country
    case province
    case city
    case district
    case street
    case postcode
    /// `YYYY-MM-DD`.
    case birthday
    /// Separated by `;`, `，`, `、` or `|` (see `TagList`).
    case tags
    case note
}

/// Guesses which import field each column of a spreadsheet holds.
package enum HeaderMapping {
    /// Aliases per field, already in normalised form (see `normalize`). Both
    /// Simplified and Traditional spellings are listed because Taiwan and Hong
    /// Kong teams export with Traditional headers.
    /// Array, not Dictionary, so matching order is deterministic.
    static let aliases: [(ImportField, [String])] = [
        (.id, ["id", "guanxiid", "customerid", "客户id", "客戶id", "客户编号", "客戶編號"]),
        (.kind, ["kind", "type", "customertype", "contacttype", "类型", "類型", "客户类型", "客戶類型"]),
        (.name, ["name", "fullname", "customername", "contactname", "contact", "clientname", "displayname",
                 "姓名", "名字", "名称", "名稱", "客户", "客戶", "客户名称", "客戶名稱", "客户姓名", "客戶姓名",
                 "联系人", "聯繫人", "聯絡人", "联系人姓名", "聯絡人姓名"]),
        (.familyName, ["familyname", "lastname", "surname", "姓", "姓氏"]),
        (.givenName, ["givenname", "firstname", "forename", "名"]),
        (.organization, ["organization", "organisation", "org", "company", "companyname", "employer", "account",
                         "accountname", "business",
                         "公司", "公司名称", "公司名稱", "单位", "單位", "企业", "企業", "企业名称", "企業名稱",
                         "所属公司", "所屬公司", "工作单位", "工作單位"]),
        (.title, ["title", "jobtitle", "position", "role", "job",
                  "职位", "職位", "职务", "職務", "职称", "職稱", "岗位", "崗位", "头衔", "頭銜"]),
        (.email, ["email", "emailaddress", "mail", "mailaddress", "emails",
                  "邮箱", "郵箱", "电子邮件", "電子郵件", "电子邮箱", "電子郵箱", "邮件", "郵件", "邮箱地址", "電郵", "电邮"]),
        (.phone, ["phone", "mobile", "cell", "cellphone", "mobilephone", "tel", "telephone", "phonenumber",
                  "mobilenumber", "mobileno", "phoneno", "contactnumber",
                  "手机", "手機", "手机号", "手機號", "手机号码", "手機號碼", "电话", "電話", "联系电话", "聯繫電話",
                  "联络电话", "聯絡電話", "电话号码", "電話號碼", "联系方式", "聯繫方式", "移动电话", "行動電話"]),
        (.wechat, ["wechat", "wechatid", "weixin", "wx", "wxid", "微信", "微信号", "微信號", "微信id"]),
        (.externalID, ["externalid", "extid", "externalkey", "外部id", "外部编号", "外部編號"]),
        (.stage, ["stage", "lifecyclestage", "lifecycle", "status", "pipeline", "pipelinestage",
                  "阶段", "階段", "客户阶段", "客戶階段", "生命周期", "生命週期", "状态", "狀態", "客户状态", "客戶狀態"]),
        (.tier, ["tier", "level", "grade", "rating", "customerlevel", "customertier",
                 "等级", "等級", "客户等级", "客戶等級", "级别", "級別", "客户级别", "客戶級別", "会员等级", "會員等級"]),
        (.owner, ["owner", "accountowner", "contactowner", "salesrep", "assignedto", "rep", "manager",
                  "负责人", "負責人", "销售", "銷售", "归属", "歸屬", "销售负责人", "銷售負責人", "所属销售", "所屬銷售",
                  "跟进人", "跟進人", "客户经理", "客戶經理"]),
        (.source, ["source", "leadsource", "channel", "origin", "来源", "來源", "渠道", "客户来源", "客戶來源", "来源渠道", "來源渠道"]),
        (.country, ["country", "nation", "countryregion", "国家", "國家", "国家地区", "國家地區", "国别", "國別"]),
        (.province, ["province", "state", "region", "stateprovince", "county",
                     "省份", "省", "省市", "所在省份", "州", "省州"]),
        (.city, ["city", "town", "城市", "市", "所在城市", "縣市"]),
        (.district, ["district", "area", "borough", "suburb", "区", "區", "区县", "區縣", "县区", "縣區", "鄉鎮市區"]),
        (.street, ["street", "address", "streetaddress", "address1", "addressline1", "addr",
                   "地址", "街道", "详细地址", "詳細地址", "街道地址", "联系地址", "聯絡地址", "通讯地址", "通訊地址"]),
        (.postcode, ["postcode", "postalcode", "zip", "zipcode", "postal",
                     "邮编", "郵編", "邮政编码", "郵政編碼", "郵遞區號", "郵區編號"]),
        (.birthday, ["birthday", "dob", "dateofbirth", "birthdate", "生日", "出生日期", "出生年月", "出生年月日"]),
        (.tags, ["tags", "tag", "labels", "label", "标签", "標籤", "标记", "標記"]),
        (.note, ["note", "notes", "remark", "remarks", "comment", "comments", "memo", "description",
                 "备注", "備註", "备注信息", "備註信息", "说明", "說明"]),
    ]

    /// The customer columns' matcher.
    private static let customers = HeaderMatcher(aliases)

    /// The aliases of one customer field (other imports, e.g. leads, reuse them for the same data).
    package static func aliases(of field: ImportField) -> [String] { aliases.first { $0.0 == field }?.1 ?? [] }

    /// Maps column index → field for a header row.
    ///
    /// Matching ignores case, width, spaces, `_`, `-`, `.`, `*` and a trailing
    /// parenthetical such as "（必填）". Exact alias matches are assigned first;
    /// remaining columns then match an alias contained in the header. Each field
    /// is assigned at most once, leftmost column first; unknown columns are absent.
    package static func guess(_ headers: [String]) -> [Int: ImportField] { customers.guess(headers) }

    /// Resolves a header row using explicit user mappings first (by exact
    /// trimmed header, then normalised header) and `guess` for the rest.
    package static func resolve(_ headers: [String], overrides: [String: ImportField]) -> [Int: ImportField] {
        var result: [Int: ImportField] = [:]
        var used = Set<ImportField>()
        let normalizedOverrides = Dictionary(overrides.map { (normalize($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        for (index, header) in headers.enumerated() {
            let field = overrides[header.trimmed()] ?? normalizedOverrides[normalize(header)]
            if let field, !used.contains(field) {
                result[index] = field
                used.insert(field)
            }
        }
        let remainingIndices = headers.indices.filter { result[$0] == nil }
        let guessed = guess(remainingIndices.map { headers[$0] })
        for (position, field) in guessed.sorted(by: { $0.key < $1.key }) where !used.contains(field) {
            result[remainingIndices[position]] = field
            used.insert(field)
        }
        return result
    }

    /// Parses a `--mapping` spec such as `"客户名称=name,手机=phone"`.
    ///
    /// Pairs are separated by `,` (or `，`/`;`), header and field by `=`. Fields
    /// are `ImportField` raw values (or case names such as `externalID`).
    /// - Returns: header → field, or `nil` if the spec is empty, a pair is
    ///   malformed, or a field name is unknown.
    package static func parse(mapping: String) -> [String: ImportField]? {
        var result: [String: ImportField] = [:]
        let pairs = mapping.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == ";" })
        for pair in pairs {
            let trimmedPair = String(pair).trimmed()
            if trimmedPair.isEmpty { continue }
            guard let eq = trimmedPair.lastIndex(where: { $0 == "=" || $0 == "＝" }) else { return nil }
            let header = String(trimmedPair[..<eq]).trimmed()
            let fieldName = String(trimmedPair[trimmedPair.index(after: eq)...]).trimmed()
            guard !header.isEmpty, let field = field(named: fieldName) else { return nil }
            result[header] = field
        }
        return result.isEmpty ? nil : result
    }

    private static func field(named name: String) -> ImportField? {
        let lower = name.lowercased()
        if let f = ImportField(rawValue: lower) { return f }
        return ImportField.allCases.first { "\($0)".lowercased() == lower || normalize($0.rawValue) == normalize(lower) }
    }

    /// Folds a header to its matching key.
    static func normalize(_ header: String) -> String {
        var s = WidthFolding.fold(header).trimmed().lowercased()
        // Drop trailing "(必填)"/"(optional)" hints; full-width parens are folded already.
        if s.hasSuffix(")"), let open = s.lastIndex(of: "("), open != s.startIndex {
            s = String(s[..<open])
        }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case " ", "_", "-", ".", "*", ":", "/", "\t", "\u{00A0}", "\u{FEFF}": continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

/// Splits a tags cell into individual tags.
package enum TagList {
    /// Splits on `;` `；` `,` `，` `、` `|` `｜`, trims, drops empties and removes
    /// duplicates (exact match), keeping first-seen order.
    package static func split(_ raw: String) -> [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for part in raw.split(whereSeparator: { ";；,，、|｜".contains($0) }) {
            let tag = String(part).trimmed()
            if !tag.isEmpty, seen.insert(tag).inserted { tags.append(tag) }
        }
        return tags
    }
}

/// Header guessing over any list of fields and their aliases (customers, leads…), so each import
/// names its own columns while the matching rules stay in one place.
package struct HeaderMatcher<Field: Hashable & Sendable>: Sendable {
    let exact: [String: Field]
    /// Aliases long enough to be recognised inside a longer header ("客户手机号" → phone),
    /// longest first so "客户等级" wins over "客户".
    let containable: [(String, Field)]

    /// `aliases` in normalised form (see `HeaderMapping.normalize`), in matching order.
    package init(_ aliases: [(Field, [String])]) {
        var table: [String: Field] = [:]
        for (field, names) in aliases {
            for name in names where table[name] == nil { table[name] = field }
        }
        exact = table
        var list: [(String, Field)] = []
        for (field, names) in aliases {
            for name in names {
                let isASCII = name.utf8.allSatisfy { $0 < 0x80 }
                if isASCII ? name.count >= 5 : name.count >= 2 { list.append((name, field)) }
            }
        }
        containable = list.enumerated()
            .sorted { $0.element.0.count != $1.element.0.count ? $0.element.0.count > $1.element.0.count : $0.offset < $1.offset }
            .map(\.element)
    }

    /// Maps column index → field (see `HeaderMapping.guess`).
    package func guess(_ headers: [String]) -> [Int: Field] {
        var result: [Int: Field] = [:]
        var used = Set<Field>()
        let normalized = headers.map(HeaderMapping.normalize)
        for (index, header) in normalized.enumerated() {
            if let field = exact[header], !used.contains(field) {
                result[index] = field
                used.insert(field)
            }
        }
        // The head noun comes last in both Chinese and English headers ("联系人手机",
        // "Customer Email"), so an alias at the end of the header beats one inside it.
        for matches in [{ (h: String, a: String) in h.hasSuffix(a) }, { (h: String, a: String) in h.contains(a) }] {
            for (index, header) in normalized.enumerated() where result[index] == nil && !header.isEmpty {
                if let (_, field) = containable.first(where: { !used.contains($0.1) && matches(header, $0.0) }) {
                    result[index] = field
                    used.insert(field)
                }
            }
        }
        return result
    }
}
