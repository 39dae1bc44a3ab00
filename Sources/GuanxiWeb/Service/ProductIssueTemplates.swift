import GuanxiWebPlatform

/// The product issues' templates (every visible word a catalog key), their words in 简体, 繁體 and
/// English, the messages they can show, and their stylesheet part.
enum ProductIssueTemplates {
    /// The list: sort tabs (customers, revenue, recent), a status filter, one row per issue; a card per issue on a phone.
    static let list = """
    <section>
      <div class="head"><h1>{{t.pi_title}}</h1><a class="button" href="{{listHref}}">{{t.tickets}}</a></div>
      <p class="meta">{{t.pi_intro}}</p>
      <nav class="tabs" aria-label="{{t.pi_sort}}">{{#sorts}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/sorts}}</nav>
      <form class="filters" method="get" action="/service/product-issues"><input type="hidden" name="sort" value="{{sort}}">
        <label>{{t.ticket_status}}<select name="status"><option value="">{{t.all}}</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <button>{{t.filter}}</button>
      </form>
      {{#hasRows}}<table class="list issues">
        <thead><tr><th scope="col">{{t.pi_issue}}</th><th scope="col">{{t.ticket_status}}</th><th scope="col">{{t.pi_customers}}</th><th scope="col">{{t.pi_tickets}}</th>{{#showsRevenue}}<th scope="col">{{t.pi_revenue}}</th>{{/showsRevenue}}<th scope="col">{{t.pi_last_seen}}</th></tr></thead>
        <tbody>{{#rows}}<tr>
          <td class="what"><a href="{{href}}">{{title}}</a>{{#product}}<small>{{product}}</small>{{/product}}{{#externalRef}}<small>{{externalRef}}</small>{{/externalRef}}</td>
          <td class="state"><span class="tag pi-{{statusKey}}">{{status}}</span></td>
          <td class="num" data-label="{{t.pi_customers}}">{{customers}}</td>
          <td class="num" data-label="{{t.pi_tickets}}">{{tickets}}</td>
          {{#revenue}}<td class="num" data-label="{{t.pi_revenue}}">{{revenue}}</td>{{/revenue}}
          <td class="when" data-label="{{t.pi_last_seen}}">{{lastSeen}}</td>
        </tr>{{/rows}}</tbody>
      </table>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.pi_none}}</p>{{/hasRows}}
    </section>
    """

    /// An issue: figures, the tracker, linked tickets, then changing it, pushing it and telling its customers of the fix.
    static let issue = """
    <article class="issue">
      <div class="head"><h1>{{title}}</h1><a class="button" href="{{listHref}}">{{t.pi_title}}</a></div>
      <p class="meta"><span class="tag pi-{{statusKey}}">{{status}}</span>{{#product}} · {{product}}{{/product}}{{#externalRef}} · {{t.pi_tracker}} {{#externalURL}}<a href="{{externalURL}}" rel="noopener noreferrer">{{externalRef}}</a>{{/externalURL}}{{^externalURL}}{{externalRef}}{{/externalURL}}{{/externalRef}}</p>
      <dl class="kpis">{{#tiles}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/tiles}}</dl>
      <section class="card"><h2>{{t.pi_linked_tickets}}</h2>
        {{#hasTickets}}<table class="list issue-tickets"><thead><tr><th scope="col">{{t.ticket_number}}</th><th scope="col">{{t.ticket_subject}}</th><th scope="col">{{t.ticket_type}}</th><th scope="col">{{t.ticket_status}}</th><th scope="col">{{t.ticket_created}}</th><th scope="col"></th></tr></thead>
          <tbody>{{#tickets}}<tr><td class="no"><a href="{{href}}">{{number}}</a></td>
            <td class="what"><a href="{{href}}">{{subject}}</a>{{#customer}}<a class="who" href="{{customerHref}}">{{customer}}</a>{{/customer}}{{#told}} <span class="tag">{{t.pi_told}}</span>{{/told}}</td>
            <td>{{type}}</td><td><span class="tag">{{ticketStatus}}</span></td><td>{{opened}}</td>
            <td class="row-actions">{{#unlinkHref}}<form method="post" action="{{unlinkHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="ticket_id" value="{{id}}"><button>{{t.pi_unlink}}</button></form>{{/unlinkHref}}</td></tr>{{/tickets}}</tbody></table>{{/hasTickets}}
        {{^hasTickets}}<p class="empty">{{t.pi_no_tickets}}</p>{{/hasTickets}}
      </section>
      {{#notifyHref}}<form method="post" action="{{notifyHref}}" class="card stack" novalidate><h2>{{t.pi_notify_title}}</h2>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label class="{{#errors.message}}invalid{{/errors.message}}">{{t.pi_notify_message}}<textarea name="message" rows="4" placeholder="{{notifyDefault}}">{{notifyMessage}}</textarea>{{#errors.message}}<small class="error">{{errors.message}}</small>{{/errors.message}}</label>
        {{#canNotify}}<button class="primary">{{notifyLabel}}</button>{{/canNotify}}{{^canNotify}}<p class="meta">{{t.pi_all_told}}</p>{{/canNotify}}
      </form>{{/notifyHref}}
      {{#saveHref}}<div class="actions-row">
        <form method="post" action="{{saveHref}}" class="card stack" novalidate><h2>{{t.pi_edit}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label class="{{#errors.title}}invalid{{/errors.title}}">{{t.pi_issue_title}}<input name="title" value="{{form.title}}" maxlength="200">{{#errors.title}}<small class="error">{{errors.title}}</small>{{/errors.title}}</label>
          <label class="{{#errors.status}}invalid{{/errors.status}}">{{t.ticket_status}}<select name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select>{{#errors.status}}<small class="error">{{errors.status}}</small>{{/errors.status}}</label>
          {{#hasProducts}}<label class="{{#errors.product_id}}invalid{{/errors.product_id}}">{{t.pi_product}}<select name="product_id"><option value="">—</option>{{#products}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/products}}</select>{{#errors.product_id}}<small class="error">{{errors.product_id}}</small>{{/errors.product_id}}</label>{{/hasProducts}}
          <label class="{{#errors.external_ref}}invalid{{/errors.external_ref}}">{{t.pi_external_ref}}<input name="external_ref" value="{{form.external_ref}}" maxlength="100">{{#errors.external_ref}}<small class="error">{{errors.external_ref}}</small>{{/errors.external_ref}}</label>
          <label class="{{#errors.external_url}}invalid{{/errors.external_url}}">{{t.pi_external_url}}<input name="external_url" value="{{form.external_url}}" inputmode="url">{{#errors.external_url}}<small class="error">{{errors.external_url}}</small>{{/errors.external_url}}</label>
          <button class="primary">{{t.save}}</button></form>
        <form method="post" action="{{pushHref}}" class="card stack"><h2>{{t.pi_tracker}}</h2><p class="meta">{{t.pi_push_hint}}</p>
          <input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.pi_push}}</button></form>
      </div>{{/saveHref}}
    </article>
    """

    /// On a ticket's page: the issues it is linked to, the suggestion, linking it and making a new issue of it.
    static let panel = """
    <section class="card pi-panel" aria-labelledby="pi-title"><h2 id="pi-title">{{t.pi_title}}</h2>
      {{#hasLinked}}<ul class="pi-linked">{{#linked}}<li><a href="{{href}}">{{title}}</a> <span class="tag">{{status}}</span></li>{{/linked}}</ul>{{/hasLinked}}
      {{#suggestion}}<p class="pi-suggest">{{t.pi_suggestion}} <a href="{{href}}">{{title}}</a></p>{{/suggestion}}
      {{#issueError}}<p class="error" role="alert">{{issueError}}</p>{{/issueError}}
      {{#linkHref}}<form method="post" action="{{linkHref}}" class="step-form" novalidate><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="issue_form" value="1">
        <label>{{t.pi_issue}}<select name="issue_id">{{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/choices}}</select></label>
        <button>{{t.pi_link}}</button></form>{{/linkHref}}
      {{#newHref}}<form method="post" action="{{newHref}}" class="step-form" novalidate><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="issue_form" value="1">
        <label class="{{#titleError}}invalid{{/titleError}}">{{t.pi_new}}<input name="issue_title" value="{{newTitle}}" maxlength="200">{{#titleError}}<small class="error">{{titleError}}</small>{{/titleError}}</label>
        <button>{{t.pi_create}}</button></form>{{/newHref}}
    </section>
    """

    static let all: [String: String] = ["product_issues": list, "product_issue": issue, "product_issue_panel": panel]

    static let css = """
    .issues .what small{display:block;color:var(--muted);font-size:.85rem}
    .issues .num{text-align:right;white-space:nowrap}
    .tag.pi-fixed{background:#e8f5e9;color:#1b5e20}
    .tag.pi-wont_fix{color:var(--muted)}
    .issue .kpis{margin:.6rem 0}
    .issue-tickets .who{display:block;color:var(--muted);font-size:.85rem;text-decoration:none}
    .issue-tickets .row-actions form{display:inline;margin:0}
    .pi-panel .pi-linked{margin:.2rem 0 .5rem;padding-left:1.2rem}
    .pi-panel .pi-suggest{margin:.3rem 0}
    @media (max-width:640px){
      .issues thead,.issue-tickets thead{display:none}
      .issues,.issues tbody,.issue-tickets,.issue-tickets tbody{display:block}
      .issues tr,.issue-tickets tr{display:flex;flex-wrap:wrap;gap:.3rem .6rem;padding:.6rem .7rem;border-bottom:1px solid var(--line)}
      .issues td,.issue-tickets td{display:block;border:0;padding:0}
      .issues td.what,.issue-tickets td.what{flex-basis:100%;min-width:0;word-break:break-word}
      .issues td[data-label]::before{content:attr(data-label);color:var(--muted);margin-right:.3rem}
    }
    """

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "pi_title": "产品问题", "pi_intro": "产品反馈和质量问题工单归并成的问题，按受影响的客户数或这些客户的营收排序：先解决影响最有价值客户的问题。",
            "pi_sort": "排序", "pi_sort_customers": "按客户数", "pi_sort_revenue": "按客户营收", "pi_sort_recent": "按最近反馈",
            "pi_status_open": "待处理", "pi_status_planned": "已排期", "pi_status_in_progress": "修复中", "pi_status_fixed": "已修复",
            "pi_status_wont_fix": "不修复",
            "pi_issue": "问题", "pi_issue_title": "问题标题", "pi_customers": "客户数", "pi_tickets": "工单数", "pi_revenue": "客户营收",
            "pi_first_seen": "首次反馈", "pi_last_seen": "最近反馈", "pi_pushed_at": "推送于", "pi_product": "产品", "pi_tracker": "外部跟踪",
            "pi_external_ref": "跟踪编号", "pi_external_url": "跟踪链接", "pi_none": "还没有产品问题。", "pi_no_tickets": "没有你可查看的关联工单。",
            "pi_linked_tickets": "关联工单", "pi_unlink": "移除", "pi_told": "已通知", "pi_edit": "修改问题",
            "pi_push": "推送到跟踪系统", "pi_push_hint": "发送带签名的 webhook 事件 product_issue.pushed（含问题及其统计）给订阅它的接收端。",
            "pi_pushed": "已推送到跟踪系统。", "pi_notify_title": "通知客户问题已修复", "pi_notify_message": "通知内容（留空则用框内的默认文字）",
            "pi_notify_n": "通知 {n} 位关联客户", "pi_all_told": "关联客户都已通知过。",
            "pi_notified": "已通知 {n} 位客户；{skipped} 位没有邮箱，已跳过；{reach} 位不在你的处理范围内。",
            "pi_suggestion": "建议归入：", "pi_suggested": "【建议】", "pi_link": "关联到该问题", "pi_new": "或新建问题", "pi_create": "新建并关联",
            "error_not_found_product_issue": "找不到这个产品问题。", "error_not_found_product_issue_link": "这张工单没有关联到该问题。",
            "field_issue_id": "产品问题", "field_external_ref": "跟踪编号", "field_external_url": "跟踪链接", "field_product_id": "产品",
            "field_message": "通知内容", "field_sort": "排序",
        ],
        .zhHant: [
            "pi_title": "產品問題", "pi_intro": "產品回饋和品質問題工單歸併成的問題，依受影響的客戶數或這些客戶的營收排序：先解決影響最有價值客戶的問題。",
            "pi_sort": "排序", "pi_sort_customers": "依客戶數", "pi_sort_revenue": "依客戶營收", "pi_sort_recent": "依最近回饋",
            "pi_status_open": "待處理", "pi_status_planned": "已排期", "pi_status_in_progress": "修復中", "pi_status_fixed": "已修復",
            "pi_status_wont_fix": "不修復",
            "pi_issue": "問題", "pi_issue_title": "問題標題", "pi_customers": "客戶數", "pi_tickets": "工單數", "pi_revenue": "客戶營收",
            "pi_first_seen": "首次回饋", "pi_last_seen": "最近回饋", "pi_pushed_at": "推送於", "pi_product": "產品", "pi_tracker": "外部追蹤",
            "pi_external_ref": "追蹤編號", "pi_external_url": "追蹤連結", "pi_none": "還沒有產品問題。", "pi_no_tickets": "沒有你可檢視的關聯工單。",
            "pi_linked_tickets": "關聯工單", "pi_unlink": "移除", "pi_told": "已通知", "pi_edit": "修改問題",
            "pi_push": "推送到追蹤系統", "pi_push_hint": "傳送帶簽章的 webhook 事件 product_issue.pushed（含問題及其統計）給訂閱它的接收端。",
            "pi_pushed": "已推送到追蹤系統。", "pi_notify_title": "通知客戶問題已修復", "pi_notify_message": "通知內容（留空則用框內的預設文字）",
            "pi_notify_n": "通知 {n} 位關聯客戶", "pi_all_told": "關聯客戶都已通知過。",
            "pi_notified": "已通知 {n} 位客戶；{skipped} 位沒有電子郵件，已略過；{reach} 位不在你的處理範圍內。",
            "pi_suggestion": "建議歸入：", "pi_suggested": "【建議】", "pi_link": "關聯到該問題", "pi_new": "或新建問題", "pi_create": "新建並關聯",
            "error_not_found_product_issue": "找不到這個產品問題。", "error_not_found_product_issue_link": "這張工單沒有關聯到該問題。",
            "field_issue_id": "產品問題", "field_external_ref": "追蹤編號", "field_external_url": "追蹤連結", "field_product_id": "產品",
            "field_message": "通知內容", "field_sort": "排序",
        ],
        .en: [
            "pi_title": "Product issues", "pi_intro": "Product feedback and defect tickets grouped into issues, ranked by the customers they hit or those customers' revenue: fix first what hurts the most valuable customers.",
            "pi_sort": "Sort", "pi_sort_customers": "By customers", "pi_sort_revenue": "By revenue", "pi_sort_recent": "Latest reported",
            "pi_status_open": "Open", "pi_status_planned": "Planned", "pi_status_in_progress": "In progress", "pi_status_fixed": "Fixed",
            "pi_status_wont_fix": "Won't fix",
            "pi_issue": "Issue", "pi_issue_title": "Title", "pi_customers": "Customers", "pi_tickets": "Tickets", "pi_revenue": "Customers' revenue",
            "pi_first_seen": "First reported", "pi_last_seen": "Last reported", "pi_pushed_at": "Pushed", "pi_product": "Product", "pi_tracker": "Tracker",
            "pi_external_ref": "Tracker reference", "pi_external_url": "Tracker link", "pi_none": "No product issues yet.",
            "pi_no_tickets": "No linked tickets you may see.",
            "pi_linked_tickets": "Linked tickets", "pi_unlink": "Remove", "pi_told": "Notified", "pi_edit": "Change the issue",
            "pi_push": "Push to the tracker", "pi_push_hint": "Sends the signed webhook event product_issue.pushed (the issue and its figures) to the endpoints that subscribe to it.",
            "pi_pushed": "Pushed to the tracker.", "pi_notify_title": "Tell the customers it is fixed", "pi_notify_message": "Message (empty: the standard text shown in the box)",
            "pi_notify_n": "Notify the {n} linked customers", "pi_all_told": "Every linked customer has been notified.",
            "pi_notified": "{n} customers notified; {skipped} without an email address skipped; {reach} outside your reach.",
            "pi_suggestion": "Suggested issue:", "pi_suggested": "[suggested]", "pi_link": "Link to this issue", "pi_new": "Or a new issue",
            "pi_create": "Create and link",
            "error_not_found_product_issue": "This product issue does not exist.", "error_not_found_product_issue_link": "This ticket is not linked to the issue.",
            "field_issue_id": "Product issue", "field_external_ref": "Tracker reference", "field_external_url": "Tracker link", "field_product_id": "Product",
            "field_message": "Message", "field_sort": "Sort",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("only a fixed issue's customers can be notified", "只有已修复的问题才能通知客户", "只有已修復的問題才能通知客戶"),
        ("must be one line of at most 100 characters", "须为一行，最多 100 个字", "須為一行，最多 100 字"),
        ("must be an http or https address of at most 500 characters", "须为 http 或 https 地址，最多 500 个字符", "須為 http 或 https 位址，最多 500 字元"),
        ("must be at most 5000 characters", "最多 5000 个字", "最多 5000 字"),
    ]
}
