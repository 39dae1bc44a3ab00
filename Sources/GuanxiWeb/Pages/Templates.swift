/// Page templates (swift-mustache). They hold no visible text of their own: every word comes from
/// `Catalog` as `{{t.key}}` (a test strips tags and placeholders and finds no letters left).
package enum Templates {
    package static let layout = """
    <!doctype html>
    <html lang="{{lang}}">
    <head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
    <title>{{title}} · {{t.app_name}}</title><link rel="stylesheet" href="/assets/app.css"><script src="/assets/app.js" defer></script></head>
    <body>
    <a class="skip" href="#main">{{t.skip_to_content}}</a>
    <header class="bar">
      <a class="brand" href="/customers">{{t.app_name}}</a>
      {{#signedIn}}
      <form class="search" action="/customers" method="get" role="search">
        <input type="search" name="q" value="{{q}}" placeholder="{{t.search_placeholder}}" aria-label="{{t.search}}" autocomplete="off" data-suggest
               aria-controls="suggest" aria-expanded="false" aria-describedby="suggest-hint">
        <span id="suggest-hint" class="sr">{{t.search_hint}}</span>
        <ul class="suggest" id="suggest" hidden></ul>
        <span class="sr" role="status" aria-live="polite" data-suggest-status data-one="{{t.results_one}}" data-many="{{t.results_many}}"></span>
      </form>
      <div class="scroll sections"><nav class="main-nav" aria-label="{{t.app_name}}">{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}{{#attention}} <span class="count">{{attention}}<span class="sr"> {{t.needs_attention}}</span></span>{{/attention}}</a>{{/nav}}<a href="/settings/{{settingsHome}}"{{#settingsCurrent}} aria-current="page"{{/settingsCurrent}}>{{t.settings}}</a></nav></div>
      <form action="/sign-out" method="post" class="out"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.sign_out}}</button></form>
      {{/signedIn}}
      <nav class="langs" aria-label="{{t.language}}">{{#languages}}<a href="/language?lang={{code}}&amp;next={{next}}"{{#current}} aria-current="true"{{/current}}>{{label}}</a>{{/languages}}</nav>
    </header>
    <main id="main" tabindex="-1">{{#flash}}<p class="flash {{kind}}" role="alert">{{text}}</p>{{/flash}}{{{content}}}</main>
    </body></html>
    """

    package static let signIn = """
    <section class="card narrow">
      <h1>{{t.sign_in}}</h1>
      <form method="post" action="/sign-in">
        <input type="hidden" name="next" value="{{next}}">
        <label>{{t.email}}<input type="email" name="email" value="{{email}}" required autocomplete="username" autofocus></label>
        <label>{{t.password}}<input type="password" name="password" required autocomplete="current-password"></label>
        <label>{{t.totp_code}}<input name="code" inputmode="numeric" autocomplete="one-time-code"></label>
        <button class="primary">{{t.sign_in}}</button>
      </form>
      <p><a href="/password-reset">{{t.forgot_password}}</a></p>
    </section>
    """

    package static let customers = """
    <section>
      <div class="head"><h1>{{t.customers}}</h1><span>{{#exportHref}}<a class="button" href="{{exportHref}}" download>{{t.export}}</a> {{/exportHref}}<a class="button" href="/imports/new">{{t.import}}</a> <a class="button primary" href="/customers/new">{{t.new_customer}}</a></span></div>
      <p class="count" role="status">{{count}}</p>
      <details class="tools"{{#filtering}} open{{/filtering}}><summary>{{t.filters_views}}</summary>
      <div class="views">{{#views}}<span class="view"><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a><form method="post" action="{{deleteHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><button aria-label="{{t.delete}}">×</button></form></span>{{/views}}
        <form method="post" action="/customers/views" class="save-view"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="query" value="{{query}}"><input name="name" placeholder="{{t.view_name}}" aria-label="{{t.view_name}}" required maxlength="60"><button>{{t.save_view}}</button></form></div>
      <form class="filters" method="get" action="/customers">
        <input type="hidden" name="q" value="{{q}}">
        <label>{{t.stage}}<select name="stage"><option value="">{{t.all}}</option>{{#stages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stages}}</select></label>
        <label>{{t.tier}}<select name="tier"><option value="">{{t.all}}</option>{{#tiers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/tiers}}</select></label>
        <label>{{t.tags}}<input name="tag" value="{{tag}}"></label>
        <label>{{t.owner}}<select name="owner_id"><option value="">{{t.all}}</option>{{#ownerChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ownerChoices}}</select></label>
        <label>{{t.source}}<input name="source" value="{{source}}"></label>{{#scoreFilters}}<label>{{label}}<select name="{{name}}"><option value="">{{t.all}}</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select></label>{{/scoreFilters}}{{#hasSorts}}<label>{{t.list_sort}}<select name="sort">{{#sorts}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sorts}}</select></label>{{/hasSorts}}
        <button>{{t.filter}}</button>
      </form>
      </details>
      {{#hasRows}}{{#sortChoices}}{{> sort_choices}}{{/sortChoices}}
      <form method="post" action="/customers/bulk" class="bulk-form">
      <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
      <details class="tools"><summary>{{t.bulk_action}}</summary>
      <div class="bulk">
        <label>{{t.bulk_action}}<select name="action"><option value="tag">{{t.bulk_tag}}</option>{{#hasOwners}}<option value="assign">{{t.bulk_assign}}</option>{{/hasOwners}}</select></label>
        <label>{{t.tags}}<input name="tag"></label>
        {{#hasOwners}}<label>{{t.owner}}<select name="owner_id">{{#owners}}<option value="{{id}}">{{name}}</option>{{/owners}}</select></label>{{/hasOwners}}
        <button>{{t.apply_selected}}</button>
      </div>
      </details>
      <table class="list customers">
        <thead><tr><th scope="col"><span class="sr">{{t.select}}</span></th>{{#sortName}}{{> sort_header}}{{/sortName}}<th scope="col" class="wide">{{t.organization_name}}</th><th scope="col">{{t.stage}}</th><th scope="col">{{t.tier}}</th><th scope="col" class="wide">{{t.phones}}</th>{{#sortUpdated}}{{> sort_header}}{{/sortUpdated}}{{#sortCreated}}{{> sort_header}}{{/sortCreated}}</tr></thead>
        <tbody>{{#rows}}<tr><td><input type="checkbox" name="ids" value="{{id}}" aria-label="{{name}}"></td><td><a href="{{href}}">{{name}}</a>{{#tags}} <span class="tag">{{.}}</span>{{/tags}}</td><td class="wide">{{organization}}</td><td>{{stage}}</td><td>{{tier}}</td><td class="wide">{{phone}}</td><td class="wide">{{updated}}</td><td class="wide">{{created}}</td></tr>{{/rows}}</tbody>
      </table>
      </form>
      {{/hasRows}}
      {{^rows}}<p class="empty">{{t.no_customers}}</p>{{/rows}}
      {{#hasOthers}}<section class="also-found"><h2>{{t.also_found}}</h2>{{#others}}<h3>{{kind}}</h3><ul class="related">{{#hits}}<li><a href="{{href}}">{{title}}</a> <small>{{detail}}</small></li>{{/hits}}</ul>{{/others}}</section>{{/hasOthers}}
      {{#pager}}{{> list_pager}}{{/pager}}
    </section>
    """

    package static let customer = """
    <article class="c360">
      <div class="head"><h1>{{c.name}}</h1><span>{{#newTaskHref}}<a class="button" href="{{newTaskHref}}">{{t.new_task}}</a> {{/newTaskHref}}{{#newDealHref}}<a class="button" href="{{newDealHref}}">{{t.new_deal}}</a> {{/newDealHref}}{{#newQuoteHref}}<a class="button" href="{{newQuoteHref}}">{{t.new_quote}}</a> <a class="button" href="{{newOrderHref}}">{{t.new_order}}</a> {{/newQuoteHref}}{{#newTicketHref}}<a class="button" href="{{newTicketHref}}">{{t.new_ticket}}</a> {{/newTicketHref}}<a class="button" href="{{editHref}}">{{t.edit}}</a>{{#releaseHref}} <form method="post" action="{{releaseHref}}" class="button-form"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{poolCustomerID}}"><button>{{t.pool_release}}</button></form>{{/releaseHref}}{{#claimPoolHref}} <form method="post" action="{{claimPoolHref}}" class="button-form"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{poolCustomerID}}"><button class="primary">{{t.pool_claim}}</button></form>{{/claimPoolHref}}</span></div>
      <p class="meta">{{kindLabel}}{{#c.organizationName}} · {{c.organizationName}}{{/c.organizationName}}{{#c.title}} · {{c.title}}{{/c.title}}</p>
      <dl class="facts">
        <div><dt>{{t.stage}}</dt><dd>{{stageLabel}}</dd></div>
        <div><dt>{{t.tier}}</dt><dd>{{c.tier}}</dd></div>
        <div><dt>{{t.owner}}</dt><dd>{{owner}}</dd></div>
        <div><dt>{{t.tags}}</dt><dd>{{#c.tags}}<span class="tag">{{.}}</span> {{/c.tags}}</dd></div>
        <div><dt>{{t.phones}}</dt><dd>{{#phones}}<a href="tel:{{tel}}">{{text}}</a> {{/phones}}</dd></div>
        <div><dt>{{t.emails}}</dt><dd>{{#c.emails}}<a href="mailto:{{.}}">{{.}}</a> {{/c.emails}}</dd></div>
        {{#addresses}}<div><dt>{{t.addresses}}</dt><dd>{{.}}</dd></div>{{/addresses}}
        {{#c.birthday}}<div><dt>{{t.birthday}}</dt><dd>{{c.birthday}}</dd></div>{{/c.birthday}}
        {{#custom}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/custom}}
      </dl>
      {{#mergedID}}<form method="post" action="{{undoHref}}" class="flash ok"><input type="hidden" name="_csrf" value="{{csrf}}"><span>{{t.merged_flash}}</span> <button>{{t.undo}}</button></form>{{/mergedID}}
      {{#masked}}<form method="post" action="{{revealHref}}" class="reveal"><input type="hidden" name="_csrf" value="{{csrf}}"><span>{{t.masked_note}}</span> <button>{{t.reveal}}</button></form>{{/masked}}
      {{> activity_form}}
      {{#hasOrders}}<section><h2>{{t.orders}}</h2><ul class="related">{{#orders}}<li><a href="{{href}}">{{number}}</a> <span class="tag">{{status}}</span> {{total}}</li>{{/orders}}</ul></section>{{/hasOrders}}
      {{#hasQuotes}}<section><h2>{{t.quotes}}</h2><ul class="related">{{#quotes}}<li><a href="{{href}}">{{number}}</a> <span class="tag">{{status}}</span> {{total}}</li>{{/quotes}}</ul></section>{{/hasQuotes}}
      {{#hasTickets}}<section><h2>{{t.ticket_recent}}</h2><ul class="related">{{#tickets}}<li><a href="{{href}}">{{number}} {{subject}}</a> <span class="tag">{{status}}</span></li>{{/tickets}}</ul></section>{{/hasTickets}}{{#scores}}{{> customer_scores}}{{/scores}}{{#credit}}{{> customer_credit}}{{/credit}}
      {{#behaviour}}{{> customer_behaviour}}{{/behaviour}}{{#calls}}{{> customer_calls}}{{/calls}}{{#hasDeals}}<section><h2>{{t.deals}}</h2><ul class="related">{{#deals}}<li><a href="{{href}}">{{name}}</a> <span class="tag">{{stage}}</span> {{amount}}</li>{{/deals}}</ul></section>{{/hasDeals}}
      {{#hasRelated}}<section><h2>{{t.related}}</h2><ul class="related">{{#related}}<li><a href="{{href}}">{{name}}</a> <span class="tag">{{label}}</span></li>{{/related}}</ul></section>{{/hasRelated}}
      {{#hasDuplicates}}<section class="card"><h2>{{t.duplicates_title}}</h2><ul class="related">{{#duplicates}}<li><a href="{{href}}">{{name}}</a> <a class="button" href="{{mergeHref}}">{{t.merge}}</a></li>{{/duplicates}}</ul></section>{{/hasDuplicates}}
      {{> timeline_part}}
    </article>
    """

    package static let customerForm = """
    <section class="card">
      <h1>{{heading}}</h1>
      <form method="post" action="{{action}}" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        {{^editing}}<label>{{t.kind}}<select name="kind"><option value="person"{{#isPerson}} selected{{/isPerson}}>{{t.person}}</option><option value="organization"{{^isPerson}} selected{{/isPerson}}>{{t.organization}}</option></select></label>{{/editing}}
        {{#fields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}<input name="{{name}}" id="f-{{name}}"{{#type}} type="{{type}}"{{/type}}{{#multiple}} multiple{{/multiple}}{{#autocomplete}} autocomplete="{{autocomplete}}"{{/autocomplete}} value="{{value}}"{{#required}} required{{/required}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#hint}} aria-describedby="h-{{name}}"{{/hint}}{{#error}} aria-errormessage="e-{{name}}"{{/error}}>{{#hint}}<small id="h-{{name}}">{{hint}}</small>{{/hint}}{{#error}}<small class="error" id="e-{{name}}">{{error}}</small>{{/error}}</label>{{/fields}}
        <label>{{t.stage}}<select name="stage">{{#stages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stages}}</select></label>
        <div class="actions"><button class="primary">{{t.save}}</button> <a href="{{cancelHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    package static let importNew = """
    <section class="card">
      <h1>{{t.import}}</h1>
      <p class="hint">{{t.import_hint}}</p>
      <form method="post" action="/imports/new" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label class="{{#fileError}}invalid{{/fileError}}">{{t.upload_file}}<input type="file" name="file" accept=".csv,.tsv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required{{#fileError}} aria-invalid="true" aria-errormessage="e-file"{{/fileError}}>{{#fileError}}<small class="error" id="e-file">{{fileError}}</small>{{/fileError}}</label>
        <button class="primary">{{t.next_step}}</button>
      </form>
    </section>
    """

    package static let importMap = """
    <section class="card">
      <h1>{{t.map_columns}} <small>{{filename}}</small></h1>
      <form method="post" action="{{action}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="scroll"><table class="list">
          <thead><tr><th>{{t.column}}</th><th>{{t.maps_to}}</th><th>{{t.preview}}</th></tr></thead>
          <tbody>{{#columns}}<tr><td>{{header}}</td><td><select name="col_{{index}}" aria-label="{{header}}"><option value="">{{t.not_imported}}</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select></td><td class="sample">{{#samples}}<span>{{.}}</span>{{/samples}}</td></tr>{{/columns}}</tbody>
        </table></div>
        <p class="hint">{{rowCount}} · {{encoding}}</p>
        <div class="actions"><button name="mode" value="dry_run">{{t.dry_run}}</button> <button class="primary" name="mode" value="import">{{t.import_now}}</button> <a href="/imports/new">{{t.start_over}}</a></div>
      </form>
    </section>
    """

    package static let importJob = """
    <section class="card">
      <h1>{{t.import}} <small>{{filename}}</small></h1>
      {{#running}}<p class="progress" data-refresh>{{t.status_running}}</p><noscript><p><a class="button" href="{{selfHref}}">{{t.refresh}}</a></p></noscript>{{/running}}
      {{#failed}}<p class="flash bad">{{error}}</p><p><a class="button" href="/imports/new">{{t.start_over}}</a></p>{{/failed}}
      {{#report}}
      <p>{{#dryRun}}<strong>{{t.dry_run_result}}</strong> {{/dryRun}}{{t.rows_total}} {{total}} · {{t.created_n}} {{created}} · {{t.updated_n}} {{updated}} · {{t.rejected_n}} {{rejected}}</p>
      {{#hasErrors}}
      <div class="scroll"><table class="list errors"><thead><tr><th>{{t.line}}</th><th>{{t.column}}</th><th>{{t.reason}}</th></tr></thead>
      <tbody>{{#errors}}<tr><td>{{line}}</td><td>{{column}}</td><td>{{reason}}</td></tr>{{/errors}}</tbody></table></div>
      <p><a class="button" href="{{errorsHref}}" download>{{t.download_errors}}</a></p>
      {{/hasErrors}}
      {{#dryRun}}{{#uploadHref}}<form method="post" action="{{uploadHref}}"><input type="hidden" name="_csrf" value="{{csrf}}">{{#mapping}}<input type="hidden" name="{{name}}" value="{{value}}">{{/mapping}}<button class="primary" name="mode" value="import">{{t.import_now}}</button></form>{{/uploadHref}}{{/dryRun}}
      <p><a href="/customers">{{t.customers}}</a> · <a href="/imports/new">{{t.start_over}}</a></p>
      {{/report}}
    </section>
    """

    /// One settings section: tabs, a table, and the section's form.
    package static let settings = """
    <section>
      <h1>{{t.settings}}</h1>
      <nav class="tabs">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
      {{#secret}}<p class="flash" role="status">{{t.token_shown_once}} <code>{{secret}}</code></p>{{/secret}}
      {{#verify}}<p class="flash {{kind}}">{{text}}</p>{{/verify}}
      {{#hint}}<p class="hint">{{hint}}</p>{{/hint}}
      {{#inviteHref}}<p><a class="button primary" href="{{inviteHref}}">{{t.invite}}</a></p>{{/inviteHref}}
      {{#verifyHref}}<p><a class="button" href="{{verifyHref}}">{{t.verify_chain}}</a></p>{{/verifyHref}}
      {{#filters}}<form class="filters" method="get"><label>{{t.object}}<select name="object">{{#objects}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/objects}}</select></label><label>{{t.actor}}<select name="actor_id">{{#actors}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/actors}}</select></label><button>{{t.filter}}</button></form><p class="hint">{{hint}}</p>{{/filters}}
      {{#roleGrids}}<section class="card role-grid" id="{{anchor}}">
        <h2>{{name}}{{#kind}} <small>{{kind}}</small>{{/kind}}</h2>
        {{#form}}<form method="post" action="{{href}}"><input type="hidden" name="_csrf" value="{{csrf}}">{{^isNew}}<input type="hidden" name="key" value="{{key}}">{{/isNew}}
        <div class="inline">{{#isNew}}<label>{{t.role_key}}<input name="key" required maxlength="40" pattern="[a-z][a-z0-9_]*"></label>{{/isNew}}<label>{{t.role_name}}<input name="name" value="{{name}}" required maxlength="100"></label></div>{{/form}}
        <div class="scroll"><table class="list grid"><thead><tr><th scope="col">{{t.object}}</th>{{#actionsHead}}<th scope="col">{{.}}</th>{{/actionsHead}}</tr></thead>
        <tbody>{{#rows}}<tr><th scope="row">{{object}}</th>{{#cells}}<td>{{#select}}<select name="{{name}}" aria-label="{{label}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/select}}{{^select}}{{#granted}}<strong>{{text}}</strong>{{/granted}}{{^granted}}<span class="none">{{text}}</span>{{/granted}}{{/select}}</td>{{/cells}}</tr>{{/rows}}</tbody></table></div>
        {{#form}}<div class="actions"><button class="primary">{{t.save}}</button></div></form>{{/form}}
      </section>{{/roleGrids}}
      {{^roleGrids}}<div class="scroll"><table class="list">
        <thead><tr>{{#headers}}<th scope="col">{{.}}</th>{{/headers}}</tr></thead>
        <tbody>{{#rows}}<tr{{#anchor}} id="{{anchor}}"{{/anchor}}>{{#cells}}<td>{{.}}</td>{{/cells}}{{#recordCell}}<td>{{#link}}<a href="{{href}}">{{text}}</a>{{/link}}{{plain}}</td>{{/recordCell}}{{#action}}<td><form method="post" action="{{href}}"><input type="hidden" name="_csrf" value="{{csrf}}">{{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}{{#input}}<input name="{{name}}" value="{{value}}" aria-label="{{label}}" required maxlength="50"> {{/input}}{{#select}}<select name="{{name}}" aria-label="{{label}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select> {{/select}}<button>{{label}}</button></form>{{#link}} <a class="button" href="{{href}}">{{label}}</a>{{/link}}</td>{{/action}}</tr>{{/rows}}</tbody>
      </table></div>
      {{^rows}}<p class="empty">{{t.nothing_yet}}</p>{{/rows}}{{/roleGrids}}
      {{#older}}<p><a class="button" href="{{older}}">{{t.more}}</a></p>{{/older}}
      {{#form}}
      <form class="card inline" method="post" action="{{href}}">
        <h2>{{title}}</h2>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#inputs}}<label>{{label}}{{#isSelect}}<select name="{{name}}">{{#choices}}<option value="{{value}}">{{label}}</option>{{/choices}}</select>{{/isSelect}}{{#isCheckbox}}<input type="checkbox" name="{{name}}" value="1">{{/isCheckbox}}{{#isText}}<input name="{{name}}"{{#required}} required{{/required}}>{{/isText}}</label>{{/inputs}}
        <button class="primary">{{button}}</button>
      </form>
      {{/form}}
    </section>
    """

    package static let customerPick = """
    <section class="card pick">
      <h1>{{heading}}</h1>
      <form method="get" action="{{target}}" role="search" class="filters">
        <label>{{t.pick_customer}}<input type="search" name="q" value="{{q}}" maxlength="100" placeholder="{{t.search_placeholder}}" autofocus></label>
        <button>{{t.search}}</button>
      </form>
      {{#hasRows}}<ul class="related">{{#rows}}<li><a href="{{href}}">{{name}}</a>{{#organization}} <span class="tag">{{organization}}</span>{{/organization}}</li>{{/rows}}</ul>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_customers}}</p>{{/hasRows}}
    </section>
    """

    package static let merge = """
    <section class="card">
      <h1>{{t.merge_title}}</h1>
      <form method="post" action="{{action}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="scroll"><table class="list merge">
          <thead><tr><th></th><th><a href="{{keepHref}}">{{keepName}}</a> <small>{{t.keep_this}}</small></th><th><a href="{{otherHref}}">{{otherName}}</a> <small>{{t.merged_into_it}}</small></th></tr></thead>
          <tbody>{{#fields}}<tr><th scope="row">{{label}}</th>
            <td><label class="choice"><input type="radio" name="f_{{key}}" value="survivor" checked> {{left}}</label></td>
            <td><label class="choice"><input type="radio" name="f_{{key}}" value="merged"> {{right}}</label></td></tr>{{/fields}}</tbody>
        </table></div>
        <p class="hint">{{t.merge_hint}}</p>
        <div class="actions"><button class="primary">{{t.merge}}</button> <a href="{{keepHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    /// Shared by the customer and lead pages: log a note, call, visit or chat; and the timeline
    /// (the "more" link loads the next page as you scroll).
    package static let activityForm = """
      <section class="card">
        <h2>{{t.log_activity}}</h2>
        <form method="post" action="{{activityHref}}" class="activity">
          <input type="hidden" name="_csrf" value="{{csrf}}">
          <label>{{t.activity_kind}}<select name="kind">{{#activityKinds}}<option value="{{value}}">{{label}}</option>{{/activityKinds}}</select></label>
          <label>{{t.subject}}<input name="subject" maxlength="200"></label>
          <label class="full">{{t.body}}<textarea name="body" rows="3"></textarea></label>
          <button class="primary">{{t.add}}</button>
        </form>
      </section>
    """

    package static let timelinePart = """
      <section>
        <h2>{{t.timeline}}</h2>
        <ol class="timeline">{{#timeline}}<li><time datetime="{{iso}}">{{when}}</time> <strong>{{label}}</strong> {{#subject}}<span>{{subject}}</span>{{/subject}}{{#body}}<p>{{body}}</p>{{/body}}</li>{{/timeline}}</ol>
        {{^timeline}}<p class="empty">{{t.nothing_yet}}</p>{{/timeline}}
        {{#moreHref}}<p><a class="button" href="{{moreHref}}" data-more>{{t.more}}</a></p>{{/moreHref}}
      </section>
    """

    /// For pages shown outside the app (the public lead form, embedded in a company's site).
    package static let bareLayout = """
    <!doctype html>
    <html lang="{{lang}}">
    <head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
    <title>{{title}}</title><link rel="stylesheet" href="/assets/app.css"></head>
    <body class="bare"><main id="main">{{#flash}}<p class="flash {{kind}}" role="alert">{{text}}</p>{{/flash}}{{{content}}}</main></body></html>
    """

    /// The layouts, sign-in, and the activity form and timeline the customer and lead pages share.
    package static let ofPlatform: [String: String] = ["layout": layout, "bare_layout": bareLayout, "sign_in": signIn, "customer_pick": customerPick,
                                             "activity_form": activityForm, "timeline_part": timelinePart]
    package static let ofCustomers: [String: String] = ["customers": customers, "customer": customer, "customer_form": customerForm, "merge": merge,
                                              "import_new": importNew, "import_map": importMap, "import_job": importJob]
    package static let ofAccess: [String: String] = ["settings": settings]
}
