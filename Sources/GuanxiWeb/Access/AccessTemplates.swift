/// The public pool's, handover's, invitation's and set-password pages (words from the catalog only).
enum AccessTemplates {
    static let pool = """
    <section>
      <div class="head"><h1>{{t.pool}}</h1></div>
      <p class="hint">{{t.pool_hint}}</p>
      <form class="filters" method="get" action="/pool">
        <label>{{t.stage}}<select name="stage"><option value="">{{t.all}}</option>{{#stages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/stages}}</select></label>
        <label>{{t.tier}}<select name="tier"><option value="">{{t.all}}</option>{{#tiers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/tiers}}</select></label>
        <label>{{t.tags}}<input name="tag" value="{{tag}}" maxlength="50"></label>
        <label>{{t.source}}<input name="source" value="{{source}}" maxlength="100"></label>
        <button>{{t.filter}}</button>
      </form>
      {{#hasRows}}<table class="list pool">
        <thead><tr><th scope="col">{{t.name}}</th><th scope="col" class="wide">{{t.organization_name}}</th><th scope="col">{{t.stage}}</th><th scope="col">{{t.tier}}</th><th scope="col" class="wide">{{t.updated}}</th>{{#canClaim}}<th scope="col"><span class="sr">{{t.actions}}</span></th>{{/canClaim}}</tr></thead>
        <tbody>{{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td class="wide">{{organization}}</td><td>{{stage}}</td><td>{{tier}}</td><td class="wide">{{updated}}</td>{{#canClaim}}<td><form method="post" action="{{claimHref}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{id}}"><button class="primary" aria-label="{{t.pool_claim}} {{name}}">{{t.pool_claim}}</button></form></td>{{/canClaim}}</tr>{{/rows}}</tbody>
      </table>{{/hasRows}}
      {{^rows}}<p class="empty">{{t.pool_empty}}</p>{{/rows}}
      {{#next}}<p><a class="button" href="{{next}}">{{t.next_page}}</a></p>{{/next}}
    </section>
    """

    static let handover = """
    <section class="card handover">
      <h1>{{heading}}</h1>
      <p class="meta">{{email}}</p>
      <p class="hint">{{t.handover_hint}}</p>
      <h2>{{t.handover_preview}}</h2>
      <table class="list counts"><tbody>{{#counts}}<tr><th scope="row">{{label}}</th><td>{{count}}</td></tr>{{/counts}}</tbody></table>
      {{#nothing}}<p class="empty">{{t.handover_nothing}}</p>{{/nothing}}
      {{#active}}
      <form method="post" action="{{href}}" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label>{{t.handover_to}}<select name="to_user_id" required{{#error}} aria-invalid="true" aria-describedby="to-error"{{/error}}><option value=""></option>{{#successors}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/successors}}</select></label>
        {{#error}}<small class="error" id="to-error">{{error}}</small>{{/error}}
        <label class="check"><input type="checkbox" name="deactivate" value="1"{{#deactivate}} checked{{/deactivate}}> {{t.handover_deactivate}}</label>
        <button class="primary">{{t.handover_run}}</button>
      </form>
      {{/active}}
      <p><a href="{{usersHref}}">{{t.users}}</a></p>
    </section>
    """

    static let invite = """
    <section class="card narrow">
      <h1>{{t.invite}}</h1>
      <p class="hint">{{t.invite_hint}}</p>
      <form method="post" action="{{href}}" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#fields}}<label>{{label}}<input name="{{name}}" type="{{type}}" value="{{value}}" maxlength="254"{{#required}} required{{/required}}{{#error}} aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}></label>
        {{#error}}<small class="error" id="{{name}}-error">{{error}}</small>{{/error}}{{/fields}}
        <label>{{t.role}}<select name="role"{{#roleError}} aria-invalid="true"{{/roleError}}>{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></label>
        {{#roleError}}<small class="error">{{roleError}}</small>{{/roleError}}
        <button class="primary">{{t.invite_send}}</button>
      </form>
      <p><a href="{{usersHref}}">{{t.users}}</a></p>
    </section>
    """

    static let passwordReset = """
    <section class="card narrow">
      <h1>{{t.reset_title}}</h1>
      {{^sent}}
      <p class="hint">{{t.reset_hint}}</p>
      <form method="post" action="/password-reset">
        <label>{{t.email}}<input type="email" name="email" value="{{email}}" required maxlength="254" autocomplete="username" autofocus></label>
        <button class="primary">{{t.reset_send}}</button>
      </form>
      {{/sent}}
      <p><a href="/sign-in">{{t.sign_in}}</a></p>
    </section>
    """

    static let passwordSet = """
    <section class="card narrow">
      <h1>{{t.set_password_title}}</h1>
      {{^done}}
      <form method="post" action="/password-reset/confirm">
        <input type="hidden" name="token" value="{{token}}">
        <label>{{t.new_password}}<input type="password" name="password" required minlength="8" autocomplete="new-password" autofocus{{#error}} aria-invalid="true" aria-describedby="password-error"{{/error}}></label>
        {{#error}}<small class="error" id="password-error">{{error}}</small>{{/error}}
        <button class="primary">{{t.set_password}}</button>
      </form>
      {{/done}}
      <p><a href="/sign-in">{{t.sign_in}}</a></p>
    </section>
    """

    /// Forms that are one button sit in a line of buttons (the 360 page's head, a pool row).
    static let css = """
    .button-form{display:inline-block;margin:0}
    table.pool td form{margin:0}
    .handover{max-width:36rem;margin:1rem auto}
    table.counts th{text-align:left;font-weight:normal}
    table.counts td{text-align:right}
    label.check{display:flex;flex-direction:row;gap:.5rem;align-items:center}
    label.check input{width:auto;margin:0}
    """

    static let all: [String: String] = ["pool": pool, "handover": handover, "invite": invite, "password_reset": passwordReset, "password_set": passwordSet]
}
