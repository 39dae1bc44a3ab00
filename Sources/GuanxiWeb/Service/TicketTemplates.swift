import GuanxiWebPlatform
/// Templates of the service desk pages (every visible word is a catalog key) and their stylesheet part.
enum TicketTemplates {
    /// One row of the queue (`queueRows`).
    struct QueueRow {
        var id, version, href, number, subject, selectLabel: String
        var customer: String?, customerHref: String
        var type, priority, priorityKey, status, assignee: String
        var due: String?, dueTarget: String?, dueText: String?, dueClass: String
        var overdue: Bool
    }

    /// The queue's rows, written here rather than by the template: fifty rows of twenty-odd values
    /// were most of the page's time (each template look-up walks the context stack with dynamic
    /// casts). Every value is escaped as the template escapes it.
    static func queueRows(_ rows: [QueueRow], bulk: Bool, assigneeLabel: String) -> String {
        let e = Rendering.FastHTML().escapeText
        var html = ""
        html.reserveCapacity(rows.count * 1_200)
        for r in rows {
            html += "<tr" + (r.overdue ? " class=\"overdue\"" : "") + ">\n      "
            if bulk {
                html += "<td class=\"pick\"><input type=\"checkbox\" name=\"ids\" value=\"" + e(r.id) + "\" aria-label=\"" + e(r.selectLabel)
                    + "\"><input type=\"hidden\" name=\"v_" + e(r.id) + "\" value=\"" + e(r.version) + "\"></td>"
            }
            html += "\n      <td class=\"no\"><a href=\"" + e(r.href) + "\">" + e(r.number) + "</a></td>"
            html += "\n      <td class=\"what\"><a href=\"" + e(r.href) + "\">" + e(r.subject) + "</a>"
            if let c = r.customer { html += "<a class=\"who\" href=\"" + e(r.customerHref) + "\">" + e(c) + "</a>" }
            html += "</td>\n      <td class=\"kind\">" + e(r.type) + "</td>"
            html += "\n      <td class=\"prio\"><span class=\"tag prio-" + e(r.priorityKey) + "\">" + e(r.priority) + "</span></td>"
            html += "\n      <td class=\"state\"><span class=\"tag\">" + e(r.status) + "</span></td>"
            html += "\n      <td class=\"assignee\" data-label=\"" + e(assigneeLabel) + "\">" + e(r.assignee) + "</td>"
            html += "\n      <td class=\"due " + e(r.dueClass) + "\">"
            if let due = r.due {
                html += "<strong>" + e(r.dueText ?? "") + "</strong><small>" + e(r.dueTarget ?? "") + " " + e(due) + "</small>"
            } else {
                html += "—"
            }
            html += "</td>\n    </tr>"
        }
        return html
    }

    /// The queue: a table on wide screens, one card per ticket on a phone. Overdue rows carry the
    /// class and the words ("逾期 15分钟"), never the colour alone.
    static let queue = """
    <section>
      <div class="head"><h1>{{t.tickets}}</h1><span><a class="button" href="{{reportsHref}}">{{t.service_reports}}</a> <a class="button" href="{{issuesHref}}">{{t.pi_title}}</a>{{#routingHref}} <a class="button" href="{{routingHref}}">{{t.routing_title}}</a>{{/routingHref}}{{#cannedHref}} <a class="button" href="{{cannedHref}}">{{t.canned_replies}}</a>{{/cannedHref}}</span></div>
      <nav class="tabs" aria-label="{{t.ticket_queues}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
      <form class="filters" method="get" action="/tickets"><input type="hidden" name="queue" value="{{queue}}">
        <label class="search">{{t.ticket_search}}<input type="search" name="q" value="{{q}}" maxlength="100" placeholder="{{t.ticket_search_hint}}"></label>
        <label>{{t.ticket_status}}<select name="status"><option value="">{{t.all}}</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <button>{{t.filter}}</button>
      </form>
      {{#hasSkipped}}<ul class="skipped" role="status">{{#skipped}}<li>{{.}}</li>{{/skipped}}</ul>{{/hasSkipped}}
      {{#hasRows}}{{#bulk}}<form method="post" action="{{href}}" class="bulk-form" id="bulk" novalidate><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="queue" value="{{queue}}"><input type="hidden" name="status" value="{{statusFilter}}"><input type="hidden" name="q" value="{{q}}">
        <fieldset class="bulk-bar"><legend>{{t.ticket_bulk_actions}}</legend>
          {{#canAssign}}<div class="bulk-row"><label>{{t.ticket_bulk_assign}}<select name="assignee_id"><option value="">{{t.ticket_unassigned}}</option>{{#assignees}}<option value="{{value}}">{{label}}</option>{{/assignees}}</select></label><button name="type" value="assign">{{t.ticket_bulk_apply}}</button></div>
          <div class="bulk-row"><label>{{t.ticket_bulk_move}}<select name="team_id"><option value="">{{t.ticket_no_department}}</option>{{#teams}}<option value="{{value}}">{{label}}</option>{{/teams}}</select></label><button name="type" value="move">{{t.ticket_bulk_apply}}</button></div>{{/canAssign}}
          <div class="bulk-row"><label>{{t.ticket_bulk_status}}<select name="status_to">{{#statuses}}<option value="{{value}}">{{label}}</option>{{/statuses}}</select></label><button name="type" value="status">{{t.ticket_bulk_apply}}</button></div>
          <div class="bulk-row"><label>{{t.ticket_bulk_priority}}<select name="priority">{{#priorities}}<option value="{{value}}">{{label}}</option>{{/priorities}}</select></label><button name="type" value="priority">{{t.ticket_bulk_apply}}</button></div>
          <div class="bulk-row"><label>{{t.ticket_bulk_tag}}<input name="tag" value="{{tag}}" maxlength="40"></label><button name="type" value="tag">{{t.ticket_bulk_apply}}</button></div>
        </fieldset>{{/bulk}}
      <table class="list tickets">
        <thead><tr>{{#bulk}}<th scope="col"><span class="sr">{{t.ticket_bulk_actions}}</span></th>{{/bulk}}<th scope="col">{{t.ticket_number}}</th><th scope="col">{{t.ticket_subject}}</th><th scope="col">{{t.ticket_type}}</th><th scope="col">{{t.ticket_priority}}</th><th scope="col">{{t.ticket_status}}</th><th scope="col">{{t.ticket_assignee}}</th><th scope="col">{{t.ticket_next_due}}</th></tr></thead>
        <tbody>{{{rowsHTML}}}</tbody>
      </table>{{#bulk}}</form>{{/bulk}}{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_tickets}}</p>{{/hasRows}}
      {{#nextHref}}<p><a class="button" href="{{nextHref}}">{{t.next_page}}</a></p>{{/nextHref}}
    </section>
    """

    static let form = """
    <section class="card">
      <h1>{{t.new_ticket}}</h1>
      <p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>
      <form method="post" action="/tickets/new" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{customerID}}">
        <label class="{{#subjectError}}invalid{{/subjectError}}">{{t.ticket_subject}} <span aria-hidden="true">*</span><input name="subject" value="{{subject}}" maxlength="200" required aria-invalid="{{#subjectError}}true{{/subjectError}}{{^subjectError}}false{{/subjectError}}"{{#subjectError}} aria-errormessage="e-subject"{{/subjectError}}>{{#subjectError}}<small class="error" id="e-subject">{{subjectError}}</small>{{/subjectError}}</label>
        <div class="inline">{{#selects}}<label class="{{#error}}invalid{{/error}}">{{label}}<select name="{{name}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/selects}}</div>
        <div class="inline"><label class="{{#productError}}invalid{{/productError}}">{{t.ticket_product}}<select name="product_id"><option value="">{{t.ticket_no_product}}</option>{{#products}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/products}}</select>{{#productError}}<small class="error">{{productError}}</small>{{/productError}}</label>{{#customFields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}{{#isSelect}}<select name="{{name}}"><option value="">—</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}{{^isSelect}}<input name="{{name}}" type="{{inputType}}" value="{{value}}"{{#inputMode}} inputmode="{{inputMode}}"{{/inputMode}}{{#hint}} placeholder="{{hint}}"{{/hint}}>{{/isSelect}}{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/customFields}}</div>
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.ticket_body}} <span aria-hidden="true">*</span><textarea name="body" rows="6" required aria-invalid="{{#bodyError}}true{{/bodyError}}{{^bodyError}}false{{/bodyError}}"{{#bodyError}} aria-errormessage="e-body"{{/bodyError}}>{{body}}</textarea>{{#bodyError}}<small class="error" id="e-body">{{bodyError}}</small>{{/bodyError}}</label>
        <label class="files-field{{#hasFileErrors}} invalid{{/hasFileErrors}}">{{t.ticket_attachments}}<input type="file" name="attachments" multiple accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.csv,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.zip"{{#hasFileErrors}} aria-invalid="true"{{/hasFileErrors}}><small class="hint">{{t.ticket_attachments_hint}}</small>{{#fileErrors}}<small class="error">{{.}}</small>{{/fileErrors}}{{#hasFileErrors}}<small class="error">{{t.ticket_attachments_again}}</small>{{/hasFileErrors}}</label>
        <div class="actions"><button class="primary">{{t.save}}</button> <a href="{{customerHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    /// A ticket: header, SLA box, the conversation (internal notes marked by words and a frame),
    /// then the reply form, status moves and assignment for those who may work it.
    static let ticket = """
    <article class="c360 ticket">
      <div class="head"><h1>{{number}} {{subject}}</h1><a class="button" href="{{listHref}}">{{t.tickets}}</a></div>
      <p class="meta">{{#customerHref}}<a href="{{customerHref}}">{{customerName}}</a> · {{/customerHref}}<span class="tag">{{status}}</span> <span class="tag prio-{{priorityKey}}">{{priority}}</span></p>
      {{#hasViewers}}<ul class="presence" role="status">{{#viewers}}<li>{{.}}</li>{{/viewers}}</ul>{{/hasViewers}}
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>
      <section class="card sla" aria-labelledby="sla-title"><h2 id="sla-title">{{t.ticket_sla}}</h2>
        <dl>{{#sla}}<div class="{{cls}}"><dt>{{label}}</dt><dd>{{#due}}<time>{{due}}</time>{{/due}}{{^due}}{{t.sla_none}}{{/due}}{{#note}} <strong>{{note}}</strong>{{/note}}</dd></div>{{/sla}}</dl>
      </section>
      {{> survey_panel}}
      {{#productIssues}}{{> product_issue_panel}}{{/productIssues}}
      <section><h2>{{t.ticket_conversation}}</h2>
        <ol class="conversation">{{#messages}}<li class="msg msg-{{kind}}"><p class="from"><span class="tag">{{kindLabel}}</span> {{#author}}<strong>{{author}}</strong> {{/author}}<time datetime="{{iso}}">{{when}}</time></p><p class="body">{{#segments}}{{#mention}}<mark class="mention">{{text}}</mark>{{/mention}}{{^mention}}{{text}}{{/mention}}{{/segments}}</p>{{#hasFiles}}<ul class="files" aria-label="{{t.ticket_attachments}}">{{#files}}<li><a href="{{href}}" download>{{name}}</a> <small>{{size}}</small></li>{{/files}}</ul>{{/hasFiles}}</li>{{/messages}}</ol>
      </section>
      <section class="card steps" aria-labelledby="steps-title"><h2 id="steps-title">{{t.ticket_steps}}</h2>
        {{#hasSteps}}<ol class="chain">{{#steps}}<li class="step step-{{state}}{{#overdue}} overdue{{/overdue}}" id="step-{{id}}">
          <p class="what"><span class="tag">{{kindLabel}}</span> <strong>{{title}}</strong> <span class="tag state">{{stateLabel}}</span></p>
          <p class="meta">{{#department}}<span>{{department}}</span>{{/department}}{{#who}}<span>{{who}}</span>{{/who}}{{#due}}<span>{{t.step_due}} <time>{{due}}</time>{{#dueText}} <strong class="{{dueClass}}">{{dueText}}</strong>{{/dueText}}</span>{{/due}}</p>
          {{#completedBy}}<p class="closed">{{t.step_closed_by}} {{completedBy}} · {{completedAt}}{{#note}} · {{note}}{{/note}}</p>{{/completedBy}}
          {{#stepError}}<p class="error" role="alert">{{stepError}}</p>{{/stepError}}
          {{#completeHref}}<form method="post" action="{{completeHref}}" class="step-form" novalidate><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
            <label>{{t.step_note}}<input name="note" value="{{typedNote}}" maxlength="5000"></label>
            {{#tellsCustomer}}<label>{{t.step_customer_message}}<textarea name="customer_message" rows="2">{{typedMessage}}</textarea></label>{{/tellsCustomer}}
            <button class="primary">{{t.step_complete}}</button></form>{{/completeHref}}
          {{#decideHref}}<form method="post" action="{{decideHref}}" class="step-form" novalidate><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
            <label>{{t.step_note}}<input name="note" value="{{typedNote}}" maxlength="5000"></label>
            <div class="moves"><button class="primary" name="decision" value="approve">{{t.step_approve}}</button><button name="decision" value="reject">{{t.step_reject}}</button></div></form>{{/decideHref}}
        </li>{{/steps}}</ol>{{/hasSteps}}
        {{^hasSteps}}<p class="empty">{{t.step_none}}</p>{{/hasSteps}}
        {{#stepHref}}<form method="post" action="{{stepHref}}" class="add-step" novalidate><h3>{{t.step_add}}</h3>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <div class="inline">
            <label class="{{#step_kind_error}}invalid{{/step_kind_error}}">{{t.step_kind}}<select name="kind">{{#stepKinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stepKinds}}</select>{{#step_kind_error}}<small class="error">{{step_kind_error}}</small>{{/step_kind_error}}</label>
            <label class="{{#stepTeamError}}invalid{{/stepTeamError}}">{{t.ticket_department}}<select name="step_team_id"><option value="">—</option>{{#stepTeams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stepTeams}}</select>{{#stepTeamError}}<small class="error">{{stepTeamError}}</small>{{/stepTeamError}}</label>
            <label>{{t.ticket_assignee}}<select name="step_assignee_id"><option value="">{{t.step_anyone}}</option>{{#stepAssignees}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stepAssignees}}</select></label>
          </div>
          <label class="{{#step_title_error}}invalid{{/step_title_error}}">{{t.step_title}}<input name="title" value="{{stepTitle}}" maxlength="200">{{#step_title_error}}<small class="error">{{step_title_error}}</small>{{/step_title_error}}</label>
          <div class="inline">
            <label class="{{#step_minutes_error}}invalid{{/step_minutes_error}}">{{t.step_minutes}}<input name="minutes" inputmode="numeric" value="{{stepMinutes}}">{{#step_minutes_error}}<small class="error">{{step_minutes_error}}</small>{{/step_minutes_error}}</label>
            <label class="{{#step_approver_id_error}}invalid{{/step_approver_id_error}}">{{t.step_approver}}<select name="approver_id"><option value="">—</option>{{#stepApprovers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stepApprovers}}</select>{{#step_approver_id_error}}<small class="error">{{step_approver_id_error}}</small>{{/step_approver_id_error}}</label>
            <label>{{t.step_approver_role}}<select name="approver_role"><option value="">—</option>{{#stepRoles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stepRoles}}</select></label>
          </div>
          <button>{{t.step_add}}</button></form>{{/stepHref}}
      </section>
      {{#canUpdate}}
      {{#hasChanges}}<section class="card changed" role="alert"><h2>{{t.ticket_changed_since}}</h2><ul>{{#changes}}<li>{{.}}</li>{{/changes}}</ul></section>{{/hasChanges}}
      {{#hasCanned}}<form method="get" action="{{cannedHref}}#reply" class="canned-pick"><label>{{t.canned_pick}}<select name="canned">{{#canned}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/canned}}</select></label><button>{{t.canned_insert}}</button></form>{{/hasCanned}}{{#hasArticles}}<form method="get" action="{{cannedHref}}#reply" class="canned-pick kb-pick"><label>{{t.kb_insert}}<select name="kb">{{#articles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/articles}}</select></label><button>{{t.kb_insert_button}}</button></form>{{/hasArticles}}
      <form method="post" action="{{replyHref}}" class="card reply" id="reply" enctype="multipart/form-data" novalidate>
        <h2>{{t.ticket_reply}}</h2>{{#replyError}}<p class="error">{{replyError}}</p>{{/replyError}}
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="opened" value="{{opened}}">
        <fieldset class="kinds"><legend class="sr">{{t.ticket_reply}}</legend>
          <label class="choice"><input type="radio" name="kind" value="reply"{{^isNote}} checked{{/isNote}}> {{t.ticket_kind_reply}}</label>
          <label class="choice"><input type="radio" name="kind" value="note"{{#isNote}} checked{{/isNote}}> {{t.ticket_kind_note}}</label>
        </fieldset>
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.ticket_reply_body}}<textarea name="body" rows="5" required aria-invalid="{{#bodyError}}true{{/bodyError}}{{^bodyError}}false{{/bodyError}}"{{#bodyError}} aria-errormessage="e-body"{{/bodyError}}>{{body}}</textarea>{{#bodyError}}<small class="error" id="e-body">{{bodyError}}</small>{{/bodyError}}</label>
        <label class="files-field{{#hasFileErrors}} invalid{{/hasFileErrors}}">{{t.ticket_attachments}}<input type="file" name="attachments" multiple accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.csv,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.zip"{{#hasFileErrors}} aria-invalid="true"{{/hasFileErrors}}><small class="hint">{{t.ticket_attachments_hint}}</small>{{#fileErrors}}<small class="error">{{.}}</small>{{/fileErrors}}{{#hasFileErrors}}<small class="error">{{t.ticket_attachments_again}}</small>{{/hasFileErrors}}</label>
        <p class="hint">{{t.ticket_mention_hint}}</p>
        <div class="send"><label>{{t.ticket_then_status}}<select name="status"><option value="">{{t.ticket_status_unchanged}}</option>{{#thenStatuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/thenStatuses}}</select></label>
          <button class="primary">{{t.ticket_send}}</button></div>
      </form>
      <div class="actions-row">
        <section class="card stack"><h2>{{t.ticket_change_status}}</h2>
          <div class="moves">{{#moves}}<form method="post" action="{{statusHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="status" value="{{value}}"><button>{{label}}</button></form>{{/moves}}</div>
        </section>
        {{#fieldsHref}}<form method="post" action="{{fieldsHref}}" class="card stack"><h2>{{t.ticket_fields}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label class="{{#productError}}invalid{{/productError}}">{{t.ticket_product}}<select name="product_id"><option value="">{{t.ticket_no_product}}</option>{{#products}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/products}}</select>{{#productError}}<small class="error">{{productError}}</small>{{/productError}}</label>
          {{#customFields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}{{#isSelect}}<select name="{{name}}"><option value="">—</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}{{^isSelect}}<input name="{{name}}" type="{{inputType}}" value="{{value}}"{{#inputMode}} inputmode="{{inputMode}}"{{/inputMode}}{{#hint}} placeholder="{{hint}}"{{/hint}}>{{/isSelect}}{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/customFields}}
          <button>{{t.save}}</button></form>{{/fieldsHref}}
        {{#canAssign}}<form method="post" action="{{assignHref}}" class="card stack"><h2>{{t.ticket_assign}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.ticket_department}}<select name="team_id"><option value="">{{t.ticket_no_department}}</option>{{#teams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/teams}}</select></label>
          <label>{{t.ticket_assignee}}<select name="assignee_id"><option value="">{{t.ticket_unassigned}}</option>{{#assignees}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/assignees}}</select></label>
          <button>{{t.save}}</button></form>{{/canAssign}}
      </div>
      {{/canUpdate}}
    </article>
    """

        /// The month's service reports: figures as tiles, then each chart with its table and CSV.
    static let reports = """
    <section class="service-reports">
      <div class="head"><h1>{{t.service_reports}}</h1>
        <nav class="months" aria-label="{{t.svc_report_month}}"><a href="{{prevHref}}" aria-label="{{t.svc_report_previous_month}}">‹</a> <strong>{{month}}</strong> <a href="{{nextHref}}" aria-label="{{t.svc_report_next_month}}">›</a></nav></div>
      <dl class="kpis">{{#tiles}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/tiles}}</dl>
      {{#sections}}<figure class="card chart-card" id="{{id}}">
        <figcaption><h2>{{title}}</h2> <a class="csv" href="{{csvHref}}" download>{{t.svc_report_download_csv}}</a></figcaption>
        {{{svg}}}
        <details><summary>{{t.svc_report_numbers}}</summary><div class="scroll"><table class="list numbers">
          <thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
          <tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody>
        </table></div></details>
      </figure>{{/sections}}
    </section>
    """
    /// Routing settings: the rules in order with a form to add or change one, the departments'
    /// members, and each agent's skills and open tickets.
    static let routing = """
    <section>
      <div class="head"><h1>{{t.routing_title}}</h1><a class="button" href="{{listHref}}">{{t.tickets}}</a></div>
      <p class="meta">{{t.routing_intro}}</p>
      <section class="card"><h2>{{t.routing_rules}}</h2>
        {{#hasRules}}<table class="list routing"><thead><tr><th scope="col">{{t.routing_position}}</th><th scope="col">{{t.routing_name}}</th><th scope="col">{{t.routing_conditions}}</th><th scope="col">{{t.ticket_department}}</th><th scope="col">{{t.routing_strategy}}</th><th scope="col"></th></tr></thead>
          <tbody>{{#rules}}<tr{{^active}} class="inactive"{{/active}}><td>{{position}}</td><td>{{name}}{{^active}} <span class="tag">{{t.routing_inactive}}</span>{{/active}}</td><td>{{conditions}}</td><td>{{department}}</td><td>{{strategy}}</td>
            <td class="row-actions"><a href="{{editHref}}">{{t.routing_edit}}</a> <form method="post" action="{{deleteHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><button>{{t.delete}}</button></form></td></tr>{{/rules}}</tbody></table>{{/hasRules}}
        {{^hasRules}}<p class="empty">{{t.routing_none}}</p>{{/hasRules}}
        <form method="post" action="{{saveHref}}" class="stack" novalidate><h3>{{#editing}}{{t.routing_edit}}{{/editing}}{{^editing}}{{t.routing_new}}{{/editing}}</h3>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{form.id}}"><input type="hidden" name="version" value="{{form.version}}">
          <div class="inline">
            <label class="{{#errors.name}}invalid{{/errors.name}}">{{t.routing_name}}<input name="name" value="{{form.name}}" maxlength="100">{{#errors.name}}<small class="error">{{errors.name}}</small>{{/errors.name}}</label>
            <label class="{{#errors.position}}invalid{{/errors.position}}">{{t.routing_position}}<input name="position" inputmode="numeric" value="{{form.position}}">{{#errors.position}}<small class="error">{{errors.position}}</small>{{/errors.position}}</label>
            <label class="{{#errors.team_id}}invalid{{/errors.team_id}}">{{t.ticket_department}}<select name="team_id"><option value="">—</option>{{#teams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/teams}}</select>{{#errors.team_id}}<small class="error">{{errors.team_id}}</small>{{/errors.team_id}}</label>
            <label class="{{#errors.strategy}}invalid{{/errors.strategy}}">{{t.routing_strategy}}<select name="strategy">{{#strategies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/strategies}}</select></label>
          </div>
          <fieldset class="kinds"><legend>{{t.ticket_type}}</legend>{{#types}}<label class="choice"><input type="checkbox" name="types" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/types}}</fieldset>
          <fieldset class="kinds"><legend>{{t.ticket_channel}}</legend>{{#channels}}<label class="choice"><input type="checkbox" name="channels" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/channels}}</fieldset>
          <div class="inline">{{#lists}}<label class="{{#error}}invalid{{/error}}">{{label}}<input name="{{name}}" value="{{value}}" placeholder="{{t.routing_list_hint}}">{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/lists}}</div>
          <label class="choice"><input type="checkbox" name="active" value="1"{{#form.active}} checked{{/form.active}}> {{t.routing_active}}</label>
          <div class="actions"><button class="primary">{{t.save}}</button>{{#editing}} <a href="{{pageHref}}">{{t.cancel}}</a>{{/editing}}</div>
        </form>
      </section>
      <section class="card"><h2>{{t.routing_departments}}</h2>
        {{#departments}}<form method="post" action="{{membersHref}}" class="stack"><h3>{{name}}</h3><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="team_id" value="{{id}}">
          <fieldset class="kinds"><legend class="sr">{{t.members}}</legend>{{#people}}<label class="choice"><input type="checkbox" name="members" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/people}}</fieldset>
          <button>{{t.save}}</button></form>{{/departments}}
      </section>
      <section class="card"><h2>{{t.routing_agents}}</h2>
        <table class="list agents"><thead><tr><th scope="col">{{t.ticket_assignee}}</th><th scope="col">{{t.routing_open_tickets}}</th><th scope="col">{{t.routing_skills}}</th></tr></thead>
          <tbody>{{#agents}}<tr><td>{{name}}</td><td>{{open}}</td><td><form method="post" action="{{skillsHref}}" class="inline-form"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="user_id" value="{{id}}"><input name="skills" value="{{skills}}" aria-label="{{t.routing_skills}} {{name}}" placeholder="{{t.routing_list_hint}}">{{#error}}<small class="error">{{error}}</small>{{/error}}<button>{{t.save}}</button></form></td></tr>{{/agents}}</tbody></table>
      </section>
    </section>
    """

    /// Canned replies: the list by title, and the form to add or change one (a body per language).
    static let canned = """
    <section>
      <div class="head"><h1>{{t.canned_replies}}</h1><a class="button" href="{{listHref}}">{{t.tickets}}</a></div>
      <p class="meta">{{t.canned_intro}} <code>{{placeholders}}</code></p>
      <section class="card">
        {{#hasReplies}}<table class="list canned"><thead><tr><th scope="col">{{t.canned_title}}</th><th scope="col">{{t.ticket_type}}</th><th scope="col">{{t.canned_languages}}</th><th scope="col"></th></tr></thead>
          <tbody>{{#replies}}<tr{{^active}} class="inactive"{{/active}}><td>{{title}}{{^active}} <span class="tag">{{t.canned_inactive}}</span>{{/active}}</td><td>{{type}}</td><td>{{languages}}</td>
            <td class="row-actions"><a href="{{editHref}}">{{t.routing_edit}}</a> <form method="post" action="{{deleteHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><button>{{t.delete}}</button></form></td></tr>{{/replies}}</tbody></table>{{/hasReplies}}
        {{^hasReplies}}<p class="empty">{{t.canned_none}}</p>{{/hasReplies}}
        <form method="post" action="{{saveHref}}" class="stack" novalidate><h2>{{#editing}}{{t.routing_edit}}{{/editing}}{{^editing}}{{t.canned_new}}{{/editing}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}"><input type="hidden" name="version" value="{{version}}">
          <div class="inline">
            <label class="{{#titleError}}invalid{{/titleError}}">{{t.canned_title}}<input name="title" value="{{title}}" maxlength="100">{{#titleError}}<small class="error">{{titleError}}</small>{{/titleError}}</label>
            <label>{{t.ticket_type}}<select name="ticket_type"><option value="">{{t.canned_type_any}}</option>{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/types}}</select></label>
          </div>
          {{#bodiesError}}<p class="error">{{bodiesError}}</p>{{/bodiesError}}
          {{#languages}}<label class="{{#error}}invalid{{/error}}">{{label}}<textarea name="{{name}}" lang="{{lang}}" rows="4">{{value}}</textarea>{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/languages}}
          <label class="choice"><input type="checkbox" name="active" value="1"{{#active}} checked{{/active}}> {{t.canned_active}}</label>
          <div class="actions"><button class="primary">{{t.save}}</button>{{#editing}} <a href="{{pageHref}}">{{t.cancel}}</a>{{/editing}}</div>
        </form>
      </section>
    </section>
    """

    static let all: [String: String] = ["tickets": queue, "ticket_form": form, "ticket": ticket, "routing": routing, "service_reports": reports,
                                        "canned_replies": canned]

    static let css = """
    .tickets .who{display:block;color:var(--muted);font-size:.85rem;text-decoration:none}
    .tickets .no{white-space:nowrap}
    .tickets .due strong{display:block;font-weight:600}
    .tickets .due small{display:block;color:var(--muted);font-size:.8rem}
    .tickets tr.overdue td:first-child{box-shadow:inset 4px 0 0 var(--bad)}
    .due.overdue strong,.sla .overdue strong,.sla .late strong{color:var(--bad)}
    .due.paused strong,.sla .paused strong{color:var(--muted)}
    .sla .met strong{color:var(--ok)}
    .tag.prio-urgent{background:#fdecea;color:#8c1d16;font-weight:600}
    .tag.prio-high{background:#fff4e5;color:#7a4b00}
    .sla dl{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.4rem 1rem;margin:0}
    .sla dl div{border-left:3px solid var(--line);padding:.2rem .6rem}
    .sla dl .overdue,.sla dl .late{border-left-color:var(--bad)}
    .sla dt{font-size:.8rem;color:var(--muted)}
    .sla dd{margin:0}
    .sla dd strong{display:block}
    .conversation{list-style:none;margin:0;padding:0}
    .msg{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.55rem .8rem;margin:.5rem 0;max-width:46rem}
    .msg-reply{margin-left:auto;background:#eef4ff;border-color:#c9d8f5}
    .msg-note{background:#fffbea;border:1px dashed #d9b84a}
    .msg .from{margin:0;color:var(--muted);font-size:.85rem;display:flex;flex-wrap:wrap;gap:.2rem .5rem;align-items:center}
    .msg .from strong{color:var(--ink)}
    .msg .body{margin:.3rem 0 0;white-space:pre-wrap;word-break:break-word}
    .msg .files{list-style:none;margin:.4rem 0 0;padding:.3rem 0 0;border-top:1px solid var(--line);font-size:.9rem}
    .msg .files li{display:flex;flex-wrap:wrap;gap:.2rem .5rem;align-items:baseline;word-break:break-all}
    .msg .files small{color:var(--muted)}
    .files-field input[type=file]{display:block;max-width:100%;margin:.25rem 0}
    .files-field .hint,.files-field .error{display:block}
    .kinds{border:0;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
    .reply .send{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
    .reply .send label{margin:0;flex:1 1 12rem}
    .invalid textarea,.invalid select{border-color:var(--bad)}
    .ticket .card h2{margin-top:0}
    .ticket > .meta{margin-top:0}
    .ticket .actions-row{align-items:start}
    .moves{display:flex;flex-wrap:wrap;gap:.5rem}
    .moves form{margin:0}
    .chain{list-style:none;margin:0;padding:0;counter-reset:step}
    .chain .step{border-left:3px solid var(--line);padding:.3rem .8rem;margin:.4rem 0}
    .chain .step-active{border-left-color:#3b6fd8}
    .chain .step-done,.chain .step-approved{border-left-color:var(--ok)}
    .chain .step-rejected,.chain .step.overdue{border-left-color:var(--bad)}
    .step p{margin:.15rem 0}
    .step .meta{display:flex;flex-wrap:wrap;gap:.2rem .8rem;color:var(--muted);font-size:.85rem}
    .step .meta .overdue{color:var(--bad)}
    .step .closed{font-size:.85rem}
    .step-form{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:flex-end;margin:.3rem 0}
    .step-form label{margin:0;flex:1 1 12rem}
    .add-step h3{margin:.8rem 0 .3rem}
    .routing .row-actions form,.inline-form{display:inline-flex;gap:.4rem;align-items:center;margin:0}
    .routing tr.inactive{color:var(--muted)}
    .presence{list-style:none;margin:.4rem 0;padding:.5rem .8rem;background:#fff4e5;border:1px solid #f0c36d;border-radius:.4rem}
    .presence li{margin:.1rem 0}
    .changed ul{margin:.3rem 0;padding-left:1.2rem}
    .changed{border-color:#f0c36d;background:#fffbea}
    mark.mention{background:#e8eefc;color:#0b3d91;border-radius:.25rem;padding:0 .15rem;font-weight:600}
    .canned-pick{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:flex-end;margin:1rem 0 -.5rem}
    .canned-pick label{margin:0;flex:1 1 14rem}
    .reply .hint{margin:.2rem 0 .5rem;color:var(--muted);font-size:.85rem}
    .bulk-bar{border:1px solid var(--line);border-radius:.6rem;background:#fff;padding:.6rem .8rem;margin:0 0 .8rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
    .bulk-bar legend{font-weight:600;padding:0 .3rem}
    .bulk-row{display:flex;gap:.4rem;align-items:flex-end;flex:1 1 16rem;min-width:0}
    .bulk-row label{margin:0;flex:1 1 auto;min-width:0}
    .tickets td.pick{width:2rem}
    .tickets td.pick input{width:1.25rem;height:1.25rem;margin:.2rem 0}
    .skipped{margin:.4rem 0;padding-left:1.2rem;color:var(--bad)}
    .canned tr.inactive{color:var(--muted)}
    @media (max-width:640px){
      .tickets td.pick{order:-1;width:auto}
      .tickets thead{display:none}
      .tickets,.tickets tbody{display:block}
      .tickets tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3rem .5rem;padding:.6rem .7rem;border-bottom:1px solid var(--line)}
      .tickets td{display:block;border:0;padding:0}
      .tickets td.what{flex:1 1 calc(100% - 4rem);min-width:0;word-break:break-word}
      .tickets td.kind{color:var(--muted);font-size:.85rem}
      .tickets td.assignee{font-size:.85rem}
      .tickets td.assignee::before{content:attr(data-label);color:var(--muted);margin-right:.3rem}
      .tickets td.due{flex-basis:100%}
      .tickets td.due.none{display:none}
      .tickets tr.overdue{box-shadow:inset 4px 0 0 var(--bad)}
      .tickets tr.overdue td:first-child{box-shadow:none}
      .ticket .facts{grid-template-columns:1fr 1fr}
      .tickets .due strong{display:inline;margin-right:.4rem}.tickets .due small{display:inline}
      .msg-reply{margin-left:1.5rem}
    }
    """
}
