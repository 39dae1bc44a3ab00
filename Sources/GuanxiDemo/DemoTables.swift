/// Lookup tables for `DemoData`. Chinese entries carry (simplified, traditional,
/// pinyin) so Taiwan and Hong Kong customers get Traditional names and every
/// Chinese name has an ASCII handle for its e-mail address.
enum DemoTables {
    struct Hanzi: Sendable {
        let simplified: String
        let traditional: String
        /// Space-separated pinyin syllables without tones.
        let pinyin: String
        /// Syllables run together ("xiaoming"); precomputed because generation is hot.
        let joined: String
        /// First letter of each syllable ("xm").
        let initials: String

        init(simplified: String, traditional: String, pinyin: String) {
            self.simplified = simplified
            self.traditional = traditional
            self.pinyin = pinyin
            let syllables = pinyin.split(separator: " ")
            joined = syllables.joined()
            initials = String(syllables.map { $0.first! })
        }
    }

    // Frequencies roughly follow the 2020 census ranking; compound surnames are rare.
    static let surnames = Weighted<Hanzi>([
        ("王 王 wang", 72), ("李 李 li", 71), ("张 張 zhang", 68), ("刘 劉 liu", 54), ("陈 陳 chen", 45),
        ("杨 楊 yang", 31), ("黄 黃 huang", 23), ("赵 趙 zhao", 20), ("吴 吳 wu", 20), ("周 周 zhou", 19),
        ("徐 徐 xu", 14), ("孙 孫 sun", 14), ("马 馬 ma", 13), ("朱 朱 zhu", 12), ("胡 胡 hu", 12),
        ("郭 郭 guo", 11), ("何 何 he", 10), ("高 高 gao", 10), ("林 林 lin", 10), ("罗 羅 luo", 9),
        ("郑 鄭 zheng", 9), ("梁 梁 liang", 8), ("谢 謝 xie", 7), ("宋 宋 song", 6), ("唐 唐 tang", 6),
        ("许 許 xu", 6), ("韩 韓 han", 6), ("冯 馮 feng", 5), ("邓 鄧 deng", 5), ("曹 曹 cao", 5),
        ("彭 彭 peng", 5), ("曾 曾 zeng", 5), ("肖 蕭 xiao", 5), ("田 田 tian", 5), ("董 董 dong", 5),
        ("袁 袁 yuan", 4), ("潘 潘 pan", 4), ("于 于 yu", 4), ("蒋 蔣 jiang", 4), ("蔡 蔡 cai", 4),
        ("余 余 yu", 4), ("杜 杜 du", 4), ("叶 葉 ye", 4), ("程 程 cheng", 4), ("苏 蘇 su", 4),
        ("魏 魏 wei", 4), ("吕 呂 lv", 3), ("丁 丁 ding", 3), ("任 任 ren", 3), ("沈 沈 shen", 3),
        ("姚 姚 yao", 3), ("卢 盧 lu", 3), ("姜 姜 jiang", 3), ("崔 崔 cui", 3), ("钟 鍾 zhong", 3),
        ("谭 譚 tan", 3), ("陆 陸 lu", 3), ("汪 汪 wang", 3), ("范 范 fan", 3), ("金 金 jin", 3),
        ("石 石 shi", 3), ("廖 廖 liao", 3), ("贾 賈 jia", 2), ("夏 夏 xia", 2), ("韦 韋 wei", 2),
        ("付 付 fu", 2), ("方 方 fang", 2), ("白 白 bai", 2), ("邹 鄒 zou", 2), ("孟 孟 meng", 2),
        ("熊 熊 xiong", 2), ("秦 秦 qin", 2), ("邱 邱 qiu", 2), ("江 江 jiang", 2), ("尹 尹 yin", 2),
        ("薛 薛 xue", 2), ("段 段 duan", 2), ("雷 雷 lei", 2), ("侯 侯 hou", 2), ("龙 龍 long", 2),
        ("史 史 shi", 2), ("陶 陶 tao", 2), ("黎 黎 li", 2), ("贺 賀 he", 2), ("顾 顧 gu", 2),
        ("毛 毛 mao", 2), ("郝 郝 hao", 2), ("龚 龔 gong", 2), ("邵 邵 shao", 2), ("万 萬 wan", 2),
        ("钱 錢 qian", 2), ("严 嚴 yan", 2), ("武 武 wu", 2), ("戴 戴 dai", 2), ("莫 莫 mo", 1),
        ("孔 孔 kong", 1), ("汤 湯 tang", 1), ("欧阳 歐陽 ou yang", 1), ("司马 司馬 si ma", 1), ("上官 上官 shang guan", 1),
    ].map { (hanzi($0.0), $0.1) })

    /// Whole given names, weighted. 小明, 芳 and 芳芳 are common on purpose so
    /// that the search demos ("王小明", "王芳") find several people.
    static let givenNames = Weighted<Hanzi>([
        ("小明 小明 xiao ming", 8), ("芳 芳 fang", 8), ("芳芳 芳芳 fang fang", 6), ("伟 偉 wei", 6), ("静 靜 jing", 5),
        ("丽 麗 li", 4), ("强 強 qiang", 4), ("磊 磊 lei", 4), ("军 軍 jun", 4), ("洋 洋 yang", 3),
        ("勇 勇 yong", 3), ("艳 艷 yan", 3), ("杰 傑 jie", 4), ("娟 娟 juan", 3), ("涛 濤 tao", 3),
        ("明 明 ming", 3), ("超 超 chao", 3), ("秀英 秀英 xiu ying", 3), ("霞 霞 xia", 3), ("平 平 ping", 2),
        ("刚 剛 gang", 2), ("桂英 桂英 gui ying", 2), ("建华 建華 jian hua", 3), ("建国 建國 jian guo", 3),
        ("志强 志強 zhi qiang", 3), ("晓燕 曉燕 xiao yan", 3), ("海燕 海燕 hai yan", 2), ("婷婷 婷婷 ting ting", 3),
        ("欣怡 欣怡 xin yi", 3), ("子涵 子涵 zi han", 3), ("浩然 浩然 hao ran", 3), ("宇轩 宇軒 yu xuan", 3),
        ("思远 思遠 si yuan", 2), ("雨桐 雨桐 yu tong", 2), ("梓萱 梓萱 zi xuan", 2), ("一诺 一諾 yi nuo", 2),
        ("俊杰 俊傑 jun jie", 3), ("嘉怡 嘉怡 jia yi", 2), ("文博 文博 wen bo", 2), ("雪梅 雪梅 xue mei", 2),
        ("丽娟 麗娟 li juan", 2), ("国强 國強 guo qiang", 2), ("晨曦 晨曦 chen xi", 2), ("佳琪 佳琪 jia qi", 2),
        ("梦瑶 夢瑤 meng yao", 2), ("家豪 家豪 jia hao", 2), ("志明 志明 zhi ming", 2), ("美玲 美玲 mei ling", 2),
        ("淑芬 淑芬 shu fen", 2), ("小红 小紅 xiao hong", 3), ("小龙 小龍 xiao long", 2), ("晓东 曉東 xiao dong", 2),
        ("鹏 鵬 peng", 2), ("辉 輝 hui", 2), ("敏 敏 min", 3), ("娜 娜 na", 4), ("倩 倩 qian", 2),
        ("颖 穎 ying", 2), ("慧 慧 hui", 2), ("鑫 鑫 xin", 2), ("斌 斌 bin", 2), ("凯 凱 kai", 2),
        ("宁 寧 ning", 2), ("玉兰 玉蘭 yu lan", 2), ("红梅 紅梅 hong mei", 2), ("建军 建軍 jian jun", 2),
        ("海涛 海濤 hai tao", 2), ("明辉 明輝 ming hui", 2), ("雅婷 雅婷 ya ting", 2), ("怡君 怡君 yi jun", 2),
        ("冠宇 冠宇 guan yu", 2), ("志豪 志豪 zhi hao", 2), ("淑惠 淑惠 shu hui", 1), ("欣妍 欣妍 xin yan", 2),
        ("天佑 天佑 tian you", 1), ("子轩 子軒 zi xuan", 2), ("诗涵 詩涵 shi han", 2), ("博文 博文 bo wen", 2),
    ].map { (hanzi($0.0), $0.1) })

    /// Characters combined pairwise for extra variety, split by usual gender so
    /// composed names sound plausible.
    static let maleChars: [Hanzi] = """
        伟 偉 wei|强 強 qiang|磊 磊 lei|军 軍 jun|勇 勇 yong|杰 傑 jie|涛 濤 tao|明 明 ming|超 超 chao|刚 剛 gang|\
        华 華 hua|国 國 guo|志 志 zhi|建 建 jian|俊 俊 jun|浩 浩 hao|宇 宇 yu|轩 軒 xuan|博 博 bo|文 文 wen|\
        鹏 鵬 peng|辉 輝 hui|斌 斌 bin|凯 凱 kai|鑫 鑫 xin|海 海 hai|东 東 dong|龙 龍 long|豪 豪 hao|天 天 tian|\
        晨 晨 chen|子 子 zi|嘉 嘉 jia|家 家 jia|德 德 de|成 成 cheng|振 振 zhen|永 永 yong|峰 峰 feng|亮 亮 liang|飞 飛 fei
        """.split(separator: "|").map { hanzi(String($0)) }

    static let femaleChars: [Hanzi] = """
        芳 芳 fang|静 靜 jing|丽 麗 li|艳 艷 yan|娟 娟 juan|霞 霞 xia|秀 秀 xiu|英 英 ying|燕 燕 yan|婷 婷 ting|\
        欣 欣 xin|怡 怡 yi|涵 涵 han|桐 桐 tong|萱 萱 xuan|雪 雪 xue|梅 梅 mei|琪 琪 qi|瑶 瑤 yao|玲 玲 ling|\
        淑 淑 shu|敏 敏 min|娜 娜 na|倩 倩 qian|颖 穎 ying|慧 慧 hui|宁 寧 ning|兰 蘭 lan|红 紅 hong|雅 雅 ya|\
        佳 佳 jia|梦 夢 meng|诗 詩 shi|思 思 si|雨 雨 yu|晓 曉 xiao|美 美 mei|月 月 yue|莉 莉 li|璐 璐 lu|萍 萍 ping|洁 潔 jie
        """.split(separator: "|").map { hanzi(String($0)) }

    static func hanzi(_ spec: String) -> Hanzi {
        let parts = spec.split(separator: " ", maxSplits: 2).map(String.init)
        return Hanzi(simplified: parts[0], traditional: parts[1], pinyin: parts[2])
    }

    // MARK: Places

    struct District: Sendable {
        let name: String
        let postcode: String?
    }

    struct City: Sendable {
        let country: String
        let province: String?
        let city: String
        /// Short form used in company names ("上海" for 上海市).
        let short: String
        /// Landline area code without trunk zero (CN), or NANP area codes (US).
        let areaCodes: [String]
        let districts: [District]
        let streets: [String]
        let region: String?
    }

    private static func districts(_ spec: String) -> [District] {
        // "Jurong East 60": the last word is the postcode when it contains a digit.
        spec.split(separator: "|").map { item in
            if let space = item.lastIndex(of: " "), item[space...].contains(where: \.isNumber) {
                return District(name: String(item[..<space]), postcode: String(item[space...].dropFirst()))
            }
            return District(name: String(item), postcode: nil)
        }
    }

    private static let cnStreets = [
        "人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "胜利路", "长江路", "黄河路", "文化路",
        "学府路", "科技路", "创业路", "滨江路", "光明路", "幸福路", "青年路", "工业大道", "东风路", "迎宾大道",
    ]

    private static func cn(_ province: String, _ city: String, _ area: String, _ region: String, _ spec: String, streets: [String] = []) -> City {
        City(country: "CN", province: province, city: city, short: String(city.dropLast()), areaCodes: [area],
             districts: districts(spec), streets: streets + cnStreets, region: region)
    }

    /// Mainland cities, weighted roughly by commercial activity.
    static let mainlandCities = Weighted<City>([
        (cn("北京市", "北京市", "10", "华北", "朝阳区 100020|海淀区 100080|东城区 100010|西城区 100032|丰台区 100071",
            streets: ["建国路", "中关村大街", "长安街", "望京街", "三里屯路"]), 14),
        (cn("上海市", "上海市", "21", "华东", "浦东新区 200120|黄浦区 200001|徐汇区 200030|静安区 200040|长宁区 200050|闵行区 201100",
            streets: ["南京西路", "淮海中路", "世纪大道", "漕溪北路", "延安西路"]), 14),
        (cn("广东省", "广州市", "20", "华南", "天河区 510620|越秀区 510030|海珠区 510220|番禺区 511400",
            streets: ["天河路", "环市东路", "中山五路", "体育西路"]), 8),
        (cn("广东省", "深圳市", "755", "华南", "南山区 518052|福田区 518048|罗湖区 518001|宝安区 518101|龙岗区 518172",
            streets: ["深南大道", "科技园南路", "华强北路", "滨海大道"]), 10),
        (cn("广东省", "东莞市", "769", "华南", "南城街道 523000|东城街道 523000|长安镇 523850"), 3),
        (cn("广东省", "佛山市", "757", "华南", "禅城区 528000|南海区 528200|顺德区 528300"), 3),
        (cn("浙江省", "杭州市", "571", "华东", "西湖区 310013|上城区 310002|滨江区 310051|余杭区 311100",
            streets: ["文三路", "延安路", "江南大道", "文一西路"]), 8),
        (cn("浙江省", "宁波市", "574", "华东", "海曙区 315000|鄞州区 315100"), 3),
        (cn("浙江省", "温州市", "577", "华东", "鹿城区 325000|瓯海区 325005"), 2),
        (cn("江苏省", "南京市", "25", "华东", "玄武区 210018|鼓楼区 210008|建邺区 210019", streets: ["中山北路", "汉中路"]), 5),
        (cn("江苏省", "苏州市", "512", "华东", "姑苏区 215000|吴中区 215100|相城区 215131", streets: ["干将路", "星湖街"]), 5),
        (cn("江苏省", "无锡市", "510", "华东", "梁溪区 214000|滨湖区 214071"), 2),
        (cn("四川省", "成都市", "28", "西南", "锦江区 610021|武侯区 610041|成华区 610051|青羊区 610031",
            streets: ["天府大道", "春熙路", "人民南路"]), 6),
        (cn("湖北省", "武汉市", "27", "华中", "江汉区 430015|武昌区 430060|洪山区 430070", streets: ["解放大道", "中南路"]), 4),
        (cn("山东省", "济南市", "531", "华东", "历下区 250014|市中区 250001"), 2),
        (cn("山东省", "青岛市", "532", "华东", "市南区 266001|崂山区 266100", streets: ["香港中路", "东海西路"]), 3),
        (cn("福建省", "厦门市", "592", "华南", "思明区 361001|湖里区 361006", streets: ["鹭江道", "湖滨南路"]), 3),
        (cn("福建省", "福州市", "591", "华南", "鼓楼区 350001|台江区 350004"), 2),
        (cn("河南省", "郑州市", "371", "华中", "金水区 450003|二七区 450052"), 3),
        (cn("陕西省", "西安市", "29", "西北", "雁塔区 710061|碑林区 710001|未央区 710014", streets: ["长安北路", "高新路"]), 3),
        (cn("湖南省", "长沙市", "731", "华中", "岳麓区 410006|芙蓉区 410011|天心区 410004", streets: ["五一大道", "芙蓉中路"]), 3),
        (cn("天津市", "天津市", "22", "华北", "和平区 300041|南开区 300100|河西区 300202"), 3),
        (cn("重庆市", "重庆市", "23", "西南", "渝中区 400010|江北区 400020|渝北区 401120", streets: ["解放碑步行街", "观音桥步行街"]), 4),
    ])

    static let hongKong = City(
        country: "HK", province: nil, city: "香港", short: "香港", areaCodes: [],
        districts: districts("中西區|灣仔區|油尖旺區|觀塘區|沙田區|東區|荃灣區"),
        streets: ["皇后大道中", "軒尼詩道", "彌敦道", "德輔道中", "英皇道", "廣東道", "青山公路", "觀塘道"], region: nil)

    static let taiwanCities = Weighted<City>([
        (City(country: "TW", province: nil, city: "臺北市", short: "臺北", areaCodes: ["2"],
              districts: districts("大安區 106|信義區 110|中山區 104|內湖區 114|松山區 105"),
              streets: ["忠孝東路四段", "仁愛路三段", "信義路五段", "中山北路二段", "民生東路三段", "復興南路一段"], region: nil), 5),
        (City(country: "TW", province: nil, city: "新北市", short: "新北", areaCodes: ["2"],
              districts: districts("板橋區 220|新店區 231|中和區 235"), streets: ["文化路一段", "中正路", "北新路三段"], region: nil), 3),
        (City(country: "TW", province: nil, city: "臺中市", short: "臺中", areaCodes: ["4"],
              districts: districts("西屯區 407|北屯區 406|南屯區 408"), streets: ["文心路二段", "臺灣大道三段", "崇德路"], region: nil), 2),
        (City(country: "TW", province: nil, city: "高雄市", short: "高雄", areaCodes: ["7"],
              districts: districts("苓雅區 802|左營區 813|前鎮區 806"), streets: ["中正四路", "博愛二路", "四維三路"], region: nil), 2),
        (City(country: "TW", province: nil, city: "桃園市", short: "桃園", areaCodes: ["3"],
              districts: districts("桃園區 330|中壢區 320"), streets: ["中正路", "中山東路"], region: nil), 1),
    ])

    static let singapore = City(
        country: "SG", province: nil, city: "Singapore", short: "Singapore", areaCodes: [],
        districts: districts("Raffles Place 04|Orchard 23|Tampines 52|Jurong East 60|Toa Payoh 31|Ang Mo Kio 56|Bukit Timah 58"),
        streets: ["Orchard Road", "Anson Road", "Tampines Avenue 5", "Jurong Gateway Road", "Lorong 1 Toa Payoh",
                  "Ang Mo Kio Avenue 3", "Bukit Timah Road", "Robinson Road"], region: nil)

    /// US cities; `District.postcode` holds the ZIP prefix (3 digits).
    static let usCities = Weighted<City>([
        (City(country: "US", province: "CA", city: "San Francisco", short: "", areaCodes: ["415", "628"],
              districts: districts("SoMa 941|Mission 941"), streets: [], region: nil), 3),
        (City(country: "US", province: "CA", city: "Los Angeles", short: "", areaCodes: ["213", "310"],
              districts: districts("Downtown 900|Koreatown 900"), streets: [], region: nil), 3),
        (City(country: "US", province: "NY", city: "New York", short: "", areaCodes: ["212", "646"],
              districts: districts("Manhattan 100|Brooklyn 112"), streets: [], region: nil), 4),
        (City(country: "US", province: "WA", city: "Seattle", short: "", areaCodes: ["206"],
              districts: districts("Capitol Hill 981"), streets: [], region: nil), 2),
        (City(country: "US", province: "TX", city: "Austin", short: "", areaCodes: ["512"],
              districts: districts("Downtown 787"), streets: [], region: nil), 1),
        (City(country: "US", province: "MA", city: "Boston", short: "", areaCodes: ["617"],
              districts: districts("Back Bay 021"), streets: [], region: nil), 2),
        (City(country: "US", province: "IL", city: "Chicago", short: "", areaCodes: ["312"],
              districts: districts("The Loop 606"), streets: [], region: nil), 2),
    ])
    static let usStreetNames = ["Market", "Main", "Oak", "Maple", "Washington", "Park", "Mission", "Elm", "Pine", "Lake", "Madison", "Broadway"]
    static let usStreetTypes = ["St", "Ave", "Blvd", "Rd"]

    /// UK cities; `District.postcode` holds the outward code.
    static let gbCities = Weighted<City>([
        (City(country: "GB", province: "England", city: "London", short: "", areaCodes: [],
              districts: districts("City of London EC1A|Westminster SW1A|Soho W1D|Canary Wharf E14|Islington N1|Southwark SE1"),
              streets: [], region: nil), 6),
        (City(country: "GB", province: "England", city: "Manchester", short: "", areaCodes: [],
              districts: districts("City Centre M1|Ancoats M4"), streets: [], region: nil), 2),
        (City(country: "GB", province: "England", city: "Birmingham", short: "", areaCodes: [],
              districts: districts("City Centre B1|Digbeth B5"), streets: [], region: nil), 1),
        (City(country: "GB", province: "Scotland", city: "Edinburgh", short: "", areaCodes: [],
              districts: districts("Old Town EH1|New Town EH2"), streets: [], region: nil), 1),
        (City(country: "GB", province: "England", city: "Bristol", short: "", areaCodes: [],
              districts: districts("Harbourside BS1"), streets: [], region: nil), 1),
    ])
    static let gbStreetNames = ["High", "Baker", "King", "Church", "Victoria", "Station", "Oxford", "Queen", "Mill", "Park"]
    static let gbStreetTypes = ["Street", "Road", "Lane"]
    static let gbPostcodeLetters = Array("ABDEFGHJLNPQRSTUWXYZ").map(String.init)

    /// Prefixes of mainland mobile numbers (China Mobile, Unicom, Telecom).
    static let mobilePrefixes = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                                 "182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186",
                                 "133", "153", "180", "181", "189", "177", "199", "166", "173"]

    // MARK: Organisations

    static let companyBrands: [Hanzi] = """
        华信 華信 huaxin|星辰 星辰 xingchen|恒通 恆通 hengtong|鼎盛 鼎盛 dingsheng|瑞丰 瑞豐 ruifeng|\
        博远 博遠 boyuan|天合 天合 tianhe|佳禾 佳禾 jiahe|云帆 雲帆 yunfan|锐思 銳思 ruisi|金泰 金泰 jintai|\
        鸿运 鴻運 hongyun|中科 中科 zhongke|东方 東方 dongfang|联创 聯創 lianchuang|新锐 新銳 xinrui|\
        宏达 宏達 hongda|永兴 永興 yongxing|汇通 匯通 huitong|九州 九州 jiuzhou|盛世 盛世 shengshi|蓝海 藍海 lanhai
        """.split(separator: "|").map { hanzi(String($0)) }

    /// Industry words (simplified, traditional, domain suffix).
    static let industries: [Hanzi] = """
        贸易 貿易 trade|科技 科技 tech|电子 電子 elec|实业 實業 group|信息技术 資訊科技 it|物流 物流 logistics|\
        餐饮管理 餐飲管理 food|文化传媒 文化傳媒 media|生物科技 生物科技 bio|建材 建材 build|服装 服飾 fashion|食品 食品 foods
        """.split(separator: "|").map { hanzi(String($0)) }

    static let englishCompanyNames = ["Acme", "Blue Harbor", "Northwind", "Greenfield", "Silverline", "Redwood", "Summit",
                                      "Pioneer", "Evergreen", "Lighthouse", "Crescent", "Oakridge", "Bright Path", "Golden Gate"]
    static let englishIndustries = ["Trading", "Logistics", "Foods", "Consulting", "Electronics", "Software", "Design", "Supplies", "Retail"]

    // MARK: People (English)

    static let englishFirstNames = ["James", "John", "Robert", "Michael", "David", "William", "Daniel", "Matthew", "Andrew",
                                    "Chris", "Mary", "Jennifer", "Linda", "Sarah", "Emily", "Jessica", "Olivia", "Sophie",
                                    "Emma", "Charlotte", "Grace", "Rachel", "Jason", "Kevin", "Ryan", "Hannah", "Oliver", "Amelia"]
    static let westernSurnames = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
                                  "Anderson", "Thomas", "Moore", "Martin", "Clark", "Lewis", "Walker", "Evans", "Davies",
                                  "Roberts", "Wright", "Hughes", "Green", "Hall", "Wood"]
    static let singaporeSurnames = ["Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua", "Koh", "Teo", "Ong", "Chan", "Low"]

    // MARK: Attributes

    static let stages = Weighted<String>([
        ("prospect", 15), ("lead", 20), ("customer", 30), ("repeat", 12), ("loyal", 8), ("at_risk", 8), ("lost", 7),
    ])
    static let tiers = Weighted<String>([("VIP", 5), ("A", 20), ("B", 40), ("C", 35)])
    static let chineseSources = Weighted<String>([
        ("wechat", 25), ("taobao", 12), ("jd", 8), ("douyin", 10), ("website", 10), ("referral", 12),
        ("exhibition", 8), ("phone", 8), ("store", 7),
    ])
    static let englishSources = Weighted<String>([
        ("website", 35), ("referral", 25), ("exhibition", 15), ("phone", 10), ("store", 10), ("wechat", 5),
    ])

    static let cnPersonalDomains = Weighted<String>([
        ("163.com", 25), ("126.com", 8), ("sina.com", 5), ("gmail.com", 8), ("foxmail.com", 5),
        ("outlook.com", 5), ("hotmail.com", 4), ("139.com", 3), ("aliyun.com", 2), ("sohu.com", 2),
    ])
    static let hkDomains = ["gmail.com", "yahoo.com.hk", "netvigator.com", "outlook.com", "hotmail.com"]
    static let twDomains = ["gmail.com", "yahoo.com.tw", "hotmail.com", "outlook.com", "hinet.net"]
    static let englishDomains = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com"]

    static let cnTitles = ["总经理", "销售经理", "采购经理", "市场总监", "行政主管", "财务经理", "店长", "创始人",
                           "技术总监", "运营经理", "产品经理", "人事专员", "采购专员", "董事长", "项目经理", "客服主管"]
    static let traditionalTitles = ["總經理", "業務經理", "採購經理", "行銷總監", "行政主管", "財務經理", "店長", "創辦人",
                                    "技術總監", "營運經理", "產品經理", "人資專員"]
    static let englishTitles = ["CEO", "Purchasing Manager", "Marketing Director", "Operations Manager", "Sales Director",
                                "Office Manager", "Founder", "CTO", "Product Manager", "Buyer", "Account Manager"]

    static let cnTags = ["高意向", "老客户", "B2B", "B2C", "VIP客户", "电商", "批发", "零售", "价格敏感", "大客户", "复购",
                         "待跟进", "展会线索", "直播间", "私域", "新品试用", "企业采购", "团购", "会员", "KOL"]
    static let traditionalTags = ["高意向", "老客戶", "VIP客戶", "電商", "批發", "零售", "大客戶", "待跟進", "會員", "B2B", "價格敏感"]
    static let englishTags = ["newsletter", "trade-show", "enterprise", "SMB", "VIP", "B2B", "follow-up", "wholesale", "partner", "reseller"]

    static let cnProducts = ["智能手表", "办公椅", "茶叶礼盒", "护肤套装", "工业传感器", "企业版软件", "咖啡机", "定制T恤",
                             "空气净化器", "蓝牙耳机", "有机大米", "儿童绘本", "保温杯", "扫地机器人"]
    static let traditionalProducts = ["智慧手錶", "辦公椅", "茶葉禮盒", "保養組", "企業版軟體", "咖啡機", "空氣清淨機", "藍牙耳機"]
    static let englishProducts = ["smart watch", "office chair", "tea gift box", "skincare set", "enterprise licence",
                                  "coffee machine", "air purifier", "wireless earbuds"]

    // MARK: Interactions

    static let interactionKinds = Weighted<String>([
        ("call", 20), ("email", 14), ("meeting", 8), ("visit", 6), ("chat", 8), ("wechat", 18),
        ("sms", 6), ("web", 6), ("app", 5), ("store", 5), ("social", 4),
    ])

    /// Subject and body templates; `{n}` = customer name, `{p}` = product, `{#}` = a number.
    static let cnTemplates: [String: [(String, String)]] = [
        "call": [("电话回访：客户对报价有疑问", "{n}对{p}的报价有疑问，希望再优惠5%，已答应本周内回复。"),
                 ("电话沟通：确认发货时间", "与{n}确认{p}的发货时间，对方希望下周一前到货。"),
                 ("首次电话联系", "首次联系{n}，介绍了{p}，对方表示有兴趣，约定发送资料。"),
                 ("电话跟进：售后问题", "{n}反馈{p}使用中有小问题，已安排技术支持上门。")],
        "email": [("发送产品目录", "已向{n}发送{p}最新产品目录及价格表。"),
                  ("报价单 #{#}", "附件为{p}的正式报价单，有效期30天，请{n}查收。"),
                  ("合同草案确认", "合同草案已发给{n}，等待法务审核意见。")],
        "meeting": [("线下会议：年度采购计划", "与{n}讨论明年{p}的采购计划，预计采购量提升20%。"),
                    ("视频会议：需求梳理", "和{n}视频沟通，梳理了{p}的定制需求，下周出方案。")],
        "visit": [("上门拜访：门店陈列检查", "拜访{n}，检查{p}的门店陈列，提出了三点改进建议。"),
                  ("客户拜访：签约前沟通", "到{n}处面谈，对方基本认可方案，等待领导审批。")],
        "chat": [("在线客服咨询", "{n}在线咨询{p}的保修政策，已解答。"),
                 ("在线咨询：物流进度", "{n}询问订单物流进度，已提供单号{#}。")],
        "wechat": [("微信咨询：询问优惠活动", "{n}通过微信询问{p}近期是否有优惠活动，已发送活动海报。"),
                   ("微信：发送新品图片", "给{n}发了{p}新品图片和视频，对方说考虑一下。"),
                   ("微信群答疑", "在客户群里回答了{n}关于{p}的使用问题。")],
        "sms": [("短信：双十一活动通知", "向{n}发送双十一{p}促销短信。"),
                ("短信：生日祝福", "给{n}发送生日祝福短信并附赠优惠券{#}。")],
        "web": [("官网留言：询问批量价格", "{n}在官网留言询问{p}批量采购价格。"),
                ("官网表单：申请试用", "{n}提交了{p}的试用申请。")],
        "app": [("App内咨询：订单物流", "{n}在App内咨询订单{#}的物流情况。"),
                ("App评价回复", "{n}在App给{p}打了五星好评，已致谢。")],
        "store": [("到店购买", "{n}到店购买了{p}，消费{#}元。"),
                  ("门店体验", "{n}到店体验{p}，暂未下单。")],
        "social": [("抖音私信：直播间商品咨询", "{n}通过抖音私信咨询直播间的{p}。"),
                   ("小红书评论回复", "回复了{n}在小红书关于{p}的评论。")],
    ]

    static let traditionalTemplates: [String: [(String, String)]] = [
        "call": [("電話回訪：客戶對報價有疑問", "{n}對{p}的報價有疑問，已答應本週內回覆。"),
                 ("電話聯繫：確認出貨時間", "與{n}確認{p}的出貨時間。")],
        "email": [("寄送產品型錄", "已寄送{p}最新型錄及價格表給{n}。"), ("報價單 #{#}", "{p}的正式報價單已寄給{n}。")],
        "meeting": [("會議：年度採購計畫", "與{n}討論明年{p}的採購計畫。")],
        "visit": [("客戶拜訪", "拜訪{n}，介紹{p}新款。")],
        "chat": [("LINE詢問優惠", "{n}透過LINE詢問{p}近期是否有優惠活動。")],
        "wechat": [("微信詢問優惠", "{n}透過微信詢問{p}近期是否有優惠活動。")],
        "sms": [("簡訊：週年慶活動通知", "向{n}發送{p}週年慶促銷簡訊。")],
        "web": [("官網留言：詢問批量價格", "{n}在官網留言詢問{p}批量採購價格。")],
        "app": [("App內詢問：訂單物流", "{n}在App內詢問訂單{#}的物流狀況。")],
        "store": [("到店購買", "{n}到店購買了{p}，消費{#}元。")],
        "social": [("Facebook私訊：商品詢問", "{n}透過Facebook私訊詢問{p}。")],
    ]

    static let englishTemplates: [String: [(String, String)]] = [
        "call": [("Follow-up call about the quote", "{n} had questions about the {p} quote and asked for a 5% discount."),
                 ("Intro call", "First call with {n}; introduced the {p} and agreed to send details.")],
        "email": [("Sent product catalogue", "Emailed {n} the latest {p} catalogue and price list."),
                  ("Quote #{#}", "Formal quote for the {p} sent to {n}, valid for 30 days.")],
        "meeting": [("Meeting: annual purchasing plan", "Discussed next year's {p} volumes with {n}.")],
        "visit": [("Site visit", "Visited {n} to review the {p} installation.")],
        "chat": [("Live chat: warranty question", "{n} asked about the {p} warranty in live chat.")],
        "wechat": [("WeChat message", "{n} asked on WeChat whether the {p} is in stock.")],
        "sms": [("SMS: seasonal promotion", "Sent {n} the seasonal {p} promotion.")],
        "web": [("Website enquiry", "{n} asked about bulk pricing for the {p} via the website.")],
        "app": [("In-app question: delivery", "{n} asked in the app about delivery of order {#}.")],
        "store": [("In-store purchase", "{n} bought a {p} in store, order {#}.")],
        "social": [("LinkedIn message", "{n} messaged us on LinkedIn about the {p}.")],
    ]

    static let outcomes = Weighted<String>([
        ("interested", 25), ("follow_up", 30), ("quoted", 12), ("won", 10), ("no_answer", 13), ("not_interested", 10),
    ])
}
