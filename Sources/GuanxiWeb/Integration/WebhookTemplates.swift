import GuanxiWebPlatform
/// Templates of the webhook pages (every visible word is a catalog key) and their stylesheet part.
enum WebhookTemplates {
    /// The signing secret, shown once after a create or a rotation.
    static let secretBox = """
    {{#secret}}<div class="card webhook-secret" role="status"><p>{{t.webhook_secret_once}}</p><p><code>{{secret}}</code></p>{{#rotated}}<p class="meta">{{t.webhook_rotated_note}}</p>{{/rotated}}</div>{{/secret}}
    """

    /// The event checkboxes of a form.
    static let events = """
    <fieldset class="webhook-events{{#eventsError}} invalid{{/eventsError}}"><legend>{{t.webhook_events}}</legend>
      {{#events}}<label class="check"><input type="checkbox" name="event:{{value}}" value="1"{{#checked}} checked{{/checked}}> {{label}}</label>{{/events}}
      {{#eventsError}}<small class="error">{{eventsError}}</small>{{/eventsError}}
    </fieldset>
    """

    static let list = """
    <section>
      <div class="head"><h1>{{t.webhook_endpoints}}</h1></div>
      <p class="meta">{{t.webhook_intro}}</p>
      \(secretBox)
      {{#hasRows}}<table class="list webhooks">
        <thead><tr><th scope="col">{{t.webhook_url}}</th><th scope="col">{{t.webhook_events}}</th><th scope="col">{{t.webhook_state}}</th><th scope="col">{{t.webhook_last_success}}</th></tr></thead>
        <tbody>{{#rows}}<tr>
          <td><a href="{{href}}">{{url}}</a>{{#description}}<small class="meta">{{description}}</small>{{/description}}</td>
          <td>{{events}}</td>
          <td><span class="tag{{^enabled}} off{{/enabled}}">{{state}}</span>{{#reason}}<small class="meta">{{reason}}</small>{{/reason}}</td>
          <td>{{lastSuccess}}</td>
        </tr>{{/rows}}</tbody>
      </table>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.webhook_none}}</p>{{/hasRows}}
      <form class="card" method="post" action="/webhooks/new" novalidate>
        <h2>{{t.webhook_new}}</h2>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label class="{{#urlError}}invalid{{/urlError}}">{{t.webhook_url}} <span aria-hidden="true">*</span><input name="url" type="url" value="{{url}}" maxlength="2000" required aria-invalid="{{#urlError}}true{{/urlError}}{{^urlError}}false{{/urlError}}"{{#urlError}} aria-errormessage="e-url"{{/urlError}}>{{#urlError}}<small class="error" id="e-url">{{urlError}}</small>{{/urlError}}</label>
        <label>{{t.webhook_description}}<input name="description" value="{{description}}" maxlength="500"></label>
        \(events)
        <div class="actions"><button class="primary">{{t.create}}</button></div>
      </form>
    </section>
    """

    static let endpoint = """
    <section>
      <p><a href="/webhooks">{{t.webhook_endpoints}}</a></p>
      <div class="head"><h1>{{url}}</h1><span class="tag{{^enabled}} off{{/enabled}}">{{state}}</span></div>
      <dl class="facts">
        {{#reason}}<dt>{{t.webhook_disabled_reason}}</dt><dd>{{reason}}</dd>{{/reason}}
        {{#failingSince}}<dt>{{t.webhook_failing_since}}</dt><dd>{{failingSince}}</dd>{{/failingSince}}
        <dt>{{t.webhook_last_success}}</dt><dd>{{lastSuccess}}</dd>
      </dl>
      \(secretBox)
      <form class="card" method="post" action="{{base}}/save" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        <label class="{{#urlError}}invalid{{/urlError}}">{{t.webhook_url}} <span aria-hidden="true">*</span><input name="url" type="url" value="{{url}}" maxlength="2000" required aria-invalid="{{#urlError}}true{{/urlError}}{{^urlError}}false{{/urlError}}"{{#urlError}} aria-errormessage="e-url"{{/urlError}}>{{#urlError}}<small class="error" id="e-url">{{urlError}}</small>{{/urlError}}</label>
        <label>{{t.webhook_description}}<input name="description" value="{{description}}" maxlength="500"></label>
        \(events)
        <div class="actions"><button class="primary">{{t.save}}</button></div>
      </form>
      <div class="actions webhook-actions">
        <form method="post" action="{{base}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><button>{{#enabled}}{{t.webhook_disable}}{{/enabled}}{{^enabled}}{{t.webhook_enable}}{{/enabled}}</button></form>
        <form method="post" action="{{base}}/rotate"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.webhook_rotate}}</button></form>
        <form method="post" action="{{base}}/replay_dead"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.webhook_replay_dead}}</button></form>
        <form method="post" action="{{base}}/delete"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><button class="danger">{{t.webhook_delete}}</button></form>
      </div>
      <h2>{{t.webhook_deliveries}}</h2>
      <nav class="tabs" aria-label="{{t.webhook_deliveries}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
      {{#hasDeliveries}}<table class="list deliveries">
        <thead><tr><th scope="col">{{t.webhook_created}}</th><th scope="col">{{t.webhook_event}}</th><th scope="col">{{t.webhook_record}}</th><th scope="col">{{t.webhook_state}}</th><th scope="col">{{t.webhook_attempts}}</th><th scope="col">{{t.webhook_status}}</th><th scope="col">{{t.webhook_duration}}</th><th scope="col">{{t.webhook_next}}</th></tr></thead>
        <tbody>{{#deliveries}}<tr class="state-{{stateKey}}">
          <td><a href="{{href}}">{{created}}</a></td><td>{{event}}</td><td class="id">{{record}}</td><td><span class="tag">{{state}}</span></td>
          <td>{{attempts}}</td><td>{{status}}{{#error}}<small class="meta">{{error}}</small>{{/error}}</td><td>{{duration}}</td><td>{{next}}</td>
        </tr>{{/deliveries}}</tbody>
      </table>{{/hasDeliveries}}
      {{^hasDeliveries}}<p class="empty">{{t.webhook_no_deliveries}}</p>{{/hasDeliveries}}
      {{#nextHref}}<p><a class="button" href="{{nextHref}}">{{t.next_page}}</a></p>{{/nextHref}}
    </section>
    """

    static let delivery = """
    <section>
      <p><a href="{{base}}">{{t.webhook_back}}</a></p>
      <div class="head"><h1>{{t.webhook_delivery}} · {{event}}</h1><span class="tag">{{state}}</span></div>
      <dl class="facts"><dt>{{t.webhook_record}}</dt><dd class="id">{{record}}</dd><dt>{{t.webhook_created}}</dt><dd>{{created}}</dd>
        <dt>{{t.webhook_attempts}}</dt><dd>{{attempts}}</dd>{{#next}}<dt>{{t.webhook_next}}</dt><dd>{{next}}</dd>{{/next}}</dl>
      {{#replayable}}<form method="post" action="{{base}}/deliveries/{{id}}/replay"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.webhook_replay}}</button></form>{{/replayable}}
      <h2>{{t.webhook_body}}</h2>
      <pre class="webhook-body">{{body}}</pre>
      {{#log}}<article class="card attempt">
        <h3>{{at}} · {{t.webhook_status}} {{status}} · {{t.webhook_duration}} {{duration}}</h3>
        <h4>{{t.webhook_request}} — {{t.webhook_headers}}</h4><pre>{{headers}}</pre>
        {{#error}}<h4>{{t.webhook_error}}</h4><p>{{error}}</p>{{/error}}
        {{#response}}<h4>{{t.webhook_response}}</h4><pre>{{response}}</pre>{{/response}}
      </article>{{/log}}
    </section>
    """

    static let all: [String: String] = ["webhooks": list, "webhook": endpoint, "webhook_delivery": delivery]

    static let css = """
    .webhook-secret code{word-break:break-all;font-size:1.05em}
    .webhook-events{display:flex;flex-wrap:wrap;gap:.25rem 1rem;border:1px solid var(--line,#ddd);padding:.5rem}
    .webhook-events .check{display:inline-flex;gap:.3rem;align-items:center;font-weight:normal;white-space:nowrap}
    table.webhooks small.meta,table.deliveries small.meta{display:block}
    .webhook-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
    .webhook-actions form{display:inline}
    .tag.off{opacity:.7;text-decoration:line-through}
    pre.webhook-body,.attempt pre{white-space:pre-wrap;word-break:break-all;max-height:24rem;overflow:auto}
    """
}
