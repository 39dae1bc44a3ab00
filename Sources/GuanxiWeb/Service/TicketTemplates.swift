import GuanxiWebPlatform
/// Templates of the service desk pages (every visible word is a catalog key) and their stylesheet part.
enum TicketTemplates {
    /// The queue: a table on wide screens, one card per ticket on a phone. Overdue rows carry the
    /// class and the words ("逾期 15分钟"), never the colour alone.
    static let queue = """
    <section>
      <div class="head"><h1>{{t.tickets}}</h1><a class="button" href="{{reportsHref}}">{{t.service_reports}}</a></div>
      <nav class="tabs" aria-label="{{t.ticket_queues}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
      <form class="filters" method="get" action="/tickets"><input type="hidden" name="queue" value="{{queue}}">
        <label>{{t.ticket_status}}<select name="status"><option value="">{{t.all}}</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <button>{{t.filter}}</button>
      </form>
      {{#hasRows}}<table class="list tickets">
        <thead><tr><th scope="col">{{t.ticket_number}}</th><th scope="col">{{t.ticket_subject}}</th><th scope="col">{{t.ticket_type}}</th><th scope="col">{{t.ticket_priority}}</th><th scope="col">{{t.ticket_status}}</th><th scope="col">{{t.ticket_assignee}}</th><th scope="col">{{t.ticket_next_due}}</th></tr></thead>
        <tbody>{{#rows}}<tr{{#overdue}} class="overdue"{{/overdue}}>
          <td class="no"><a href="{{href}}">{{number}}</a></td>
          <td class="what"><a href="{{href}}">{{subject}}</a>{{#customer}}<a class="who" href="{{customerHref}}">{{customer}}</a>{{/customer}}</td>
          <td class="kind">{{type}}</td>
          <td class="prio"><span class="tag prio-{{priorityKey}}">{{priority}}</span></td>
          <td class="state"><span class="tag">{{status}}</span></td>
          <td class="assignee" data-label="{{t.ticket_assignee}}">{{assignee}}</td>
          <td class="due {{dueClass}}">{{#due}}<strong>{{dueText}}</strong><small>{{dueTarget}} {{due}}</small>{{/due}}{{^due}}—{{/due}}</td>
        </tr>{{/rows}}</tbody>
      </table>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_tickets}}</p>{{/hasRows}}
      {{#nextHref}}<p><a class="button" href="{{nextHref}}">{{t.next_page}}</a></p>{{/nextHref}}
    </section>
    """

    static let form = """
    <section class="card">
      <h1>{{t.new_ticket}}</h1>
      <p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>
      <form method="post" action="/tickets/new" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{customerID}}">
        <label class="{{#subjectError}}invalid{{/subjectError}}">{{t.ticket_subject}} <span aria-hidden="true">*</span><input name="subject" value="{{subject}}" maxlength="200" required aria-invalid="{{#subjectError}}true{{/subjectError}}{{^subjectError}}false{{/subjectError}}"{{#subjectError}} aria-errormessage="e-subject"{{/subjectError}}>{{#subjectError}}<small class="error" id="e-subject">{{subjectError}}</small>{{/subjectError}}</label>
        <div class="inline">{{#selects}}<label class="{{#error}}invalid{{/error}}">{{label}}<select name="{{name}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/selects}}</div>
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.ticket_body}} <span aria-hidden="true">*</span><textarea name="body" rows="6" required aria-invalid="{{#bodyError}}true{{/bodyError}}{{^bodyError}}false{{/bodyError}}"{{#bodyError}} aria-errormessage="e-body"{{/bodyError}}>{{body}}</textarea>{{#bodyError}}<small class="error" id="e-body">{{bodyError}}</small>{{/bodyError}}</label>
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
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>
      <section class="card sla" aria-labelledby="sla-title"><h2 id="sla-title">{{t.ticket_sla}}</h2>
        <dl>{{#sla}}<div class="{{cls}}"><dt>{{label}}</dt><dd>{{#due}}<time>{{due}}</time>{{/due}}{{^due}}{{t.sla_none}}{{/due}}{{#note}} <strong>{{note}}</strong>{{/note}}</dd></div>{{/sla}}</dl>
      </section>
      <section><h2>{{t.ticket_conversation}}</h2>
        <ol class="conversation">{{#messages}}<li class="msg msg-{{kind}}"><p class="from"><span class="tag">{{kindLabel}}</span> {{#author}}<strong>{{author}}</strong> {{/author}}<time datetime="{{iso}}">{{when}}</time></p><p class="body">{{body}}</p></li>{{/messages}}</ol>
      </section>
      {{#canUpdate}}
      <form method="post" action="{{replyHref}}" class="card reply" novalidate>
        <h2>{{t.ticket_reply}}</h2>{{#replyError}}<p class="error">{{replyError}}</p>{{/replyError}}
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        <fieldset class="kinds"><legend class="sr">{{t.ticket_reply}}</legend>
          <label class="choice"><input type="radio" name="kind" value="reply"{{^isNote}} checked{{/isNote}}> {{t.ticket_kind_reply}}</label>
          <label class="choice"><input type="radio" name="kind" value="note"{{#isNote}} checked{{/isNote}}> {{t.ticket_kind_note}}</label>
        </fieldset>
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.ticket_reply_body}}<textarea name="body" rows="5" required aria-invalid="{{#bodyError}}true{{/bodyError}}{{^bodyError}}false{{/bodyError}}"{{#bodyError}} aria-errormessage="e-body"{{/bodyError}}>{{body}}</textarea>{{#bodyError}}<small class="error" id="e-body">{{bodyError}}</small>{{/bodyError}}</label>
        <div class="send"><label>{{t.ticket_then_status}}<select name="status"><option value="">{{t.ticket_status_unchanged}}</option>{{#thenStatuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/thenStatuses}}</select></label>
          <button class="primary">{{t.ticket_send}}</button></div>
      </form>
      <div class="actions-row">
        <section class="card stack"><h2>{{t.ticket_change_status}}</h2>
          <div class="moves">{{#moves}}<form method="post" action="{{statusHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="status" value="{{value}}"><button>{{label}}</button></form>{{/moves}}</div>
        </section>
        {{#canAssign}}<form method="post" action="{{assignHref}}" class="card stack"><h2>{{t.ticket_assign}}</h2>
          <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.ticket_department}}<select name="team_id"><option value="">{{t.ticket_no_department}}</option>{{#teams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/teams}}</select></label>
          <label>{{t.ticket_assignee}}<select name="assignee_id"><option value="">{{t.ticket_unassigned}}</option>{{#assignees}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/assignees}}</select></label>
          <button>{{t.save}}</button></form>{{/canAssign}}
      </div>
      {{/canUpdate}}
    </article>
    """

    static let all: [String: String] = ["tickets": queue, "ticket_form": form, "ticket": ticket, "service_reports": reports]

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
    .kinds{border:0;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
    .reply .send{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
    .reply .send label{margin:0;flex:1 1 12rem}
    .invalid textarea,.invalid select{border-color:var(--bad)}
    .sla h2,.reply h2{margin-top:0}
    .ticket .actions-row{align-items:start}
    .moves{display:flex;flex-wrap:wrap;gap:.5rem}
    .moves form{margin:0}
    @media (max-width:640px){
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
