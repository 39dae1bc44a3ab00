import GuanxiWebPlatform
/// Templates of the order, quote and product pages (every visible word is a catalog key).
enum OrderTemplates {
    static let linesTable = """
    <div class="scroll"><table class="list doc-lines">
      <thead><tr><th scope="col">#</th><th scope="col">{{t.line_name}}</th><th scope="col" class="num">{{t.line_quantity}}</th><th scope="col" class="num">{{t.line_unit_price}}</th><th scope="col" class="num">{{t.line_discount}}</th><th scope="col" class="num">{{t.line_tax}}</th><th scope="col" class="num">{{t.line_total}}</th>{{#hasProgress}}<th scope="col" class="num">{{t.line_shipped}}</th>{{/hasProgress}}</tr></thead>
      <tbody>{{#lines}}<tr><td>{{n}}</td><td>{{name}}{{#sku}} <small class="hint">{{sku}}</small>{{/sku}}</td><td class="num">{{quantity}}{{#unit}} {{unit}}{{/unit}}</td><td class="num">{{price}}</td><td class="num">{{discount}}</td><td class="num">{{tax}}</td><td class="num">{{total}}</td>{{#hasProgress}}<td class="num">{{progress}}</td>{{/hasProgress}}</tr>{{/lines}}</tbody>
      <tfoot>
        <tr><th scope="row" colspan="3">{{t.doc_net}}</th><td class="pad" colspan="3"></td><td class="num">{{net}}</td>{{#hasProgress}}<td></td>{{/hasProgress}}</tr>
        {{#discountTotal}}<tr><th scope="row" colspan="3">{{t.doc_discount}}</th><td class="pad" colspan="3"></td><td class="num">−{{discountTotal}}</td>{{#hasProgress}}<td></td>{{/hasProgress}}</tr>{{/discountTotal}}
        <tr><th scope="row" colspan="3">{{t.doc_tax}}</th><td class="pad" colspan="3"></td><td class="num">{{taxTotal}}</td>{{#hasProgress}}<td></td>{{/hasProgress}}</tr>
        <tr class="grand"><th scope="row" colspan="3">{{t.doc_total}}</th><td class="pad" colspan="3"></td><td class="num">{{total}}</td>{{#hasProgress}}<td></td>{{/hasProgress}}</tr>
      </tfoot>
    </table></div>
    """

    static let orders = """
    <section>
      <div class="head"><h1>{{t.orders}}</h1><span><a class="button" href="{{mineHref}}"{{#mine}} aria-current="true"{{/mine}}>{{t.mine}}</a> <a class="button" href="{{quotesHref}}">{{t.quotes}}</a> <a class="button" href="{{productsHref}}">{{t.products}}</a>{{#newHref}} <a class="button primary" href="{{newHref}}">{{t.new_order}}</a>{{/newHref}}</span></div>
      <nav class="tabs status-board" aria-label="{{t.order_board}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}{{#count}} <strong>{{count}}</strong>{{/count}}{{#sum}}<small>{{sum}}</small>{{/sum}}</a>{{/tabs}}</nav>
      <p class="count" role="status">{{count}}</p>
      {{#hasRows}}{{#sortChoices}}{{> sort_choices}}{{/sortChoices}}<div class="scroll"><table class="list stack">
        <thead><tr><th scope="col">{{t.order_number}}</th><th scope="col">{{t.customer}}</th><th scope="col">{{t.order_status}}</th><th scope="col" class="num">{{t.order_total}}</th><th scope="col" class="num">{{t.order_outstanding}}</th>{{#sortPlaced}}{{> sort_header}}{{/sortPlaced}}</tr></thead>
        <tbody>{{#rows}}<tr><td data-label="{{t.order_number}}"><a href="{{href}}">{{number}}</a>{{#source}} <span class="tag">{{source}}</span>{{/source}}</td><td data-label="{{t.customer}}"><a href="{{customerHref}}">{{customer}}</a></td><td data-label="{{t.order_status}}"><span class="tag">{{status}}</span></td><td class="num" data-label="{{t.order_total}}">{{total}}</td><td class="num" data-label="{{t.order_outstanding}}">{{outstanding}}</td><td class="wide" data-label="{{t.order_placed}}">{{placed}}</td></tr>{{/rows}}</tbody>
      </table></div>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_orders}}</p>{{/hasRows}}
      {{#pager}}{{> list_pager}}{{/pager}}
    </section>
    """

    static let order = """
    <article class="c360">
      <div class="head"><h1>{{number}} <small>{{status}}</small></h1><a class="button" href="{{listHref}}">{{t.orders}}</a></div>
      {{#customerHref}}<p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>{{/customerHref}}
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>{{#creditHold}}
      <div class="flash bad credit-hold" role="status"><strong>{{t.credit_held}}</strong> {{creditHold}}
        {{#canRelease}}<form method="post" action="{{releaseHref}}" class="stack"><input type="hidden" name="_csrf" value="{{csrf}}"><label>{{t.credit_release_note}}<input name="note" maxlength="500"></label><button class="primary">{{t.credit_release}}</button></form>{{/canRelease}}</div>{{/creditHold}}
      {{#hasWarnings}}<div class="flash warn" role="status"><strong>{{t.stock_oversell}}</strong><ul>{{#warnings}}<li>{{name}}: {{t.stock_wanted}} {{quantity}} · {{t.stock_available}} {{available}}</li>{{/warnings}}</ul></div>{{/hasWarnings}}<h2>{{t.doc_lines}}</h2>
      {{> lines_table}}
      {{#hasPayments}}<h2>{{t.order_payments}}</h2><ul class="timeline">{{#payments}}<li><time>{{when}}</time> {{kind}} <strong>{{amount}}</strong>{{#method}} · {{method}}{{/method}}{{#reference}} · {{reference}}{{/reference}}</li>{{/payments}}</ul>{{/hasPayments}}
      {{#hasPlan}}<h2>{{t.order_plan}}</h2><div class="scroll"><table class="list"><thead><tr><th scope="col">{{t.plan_due}}</th><th scope="col" class="num">{{t.plan_amount}}</th><th scope="col" class="num">{{t.plan_covered}}</th><th scope="col">{{t.order_status}}</th></tr></thead>
        <tbody>{{#plan}}<tr><td>{{due}}</td><td class="num">{{amount}}</td><td class="num">{{covered}}</td><td>{{#done}}<span class="tag">{{t.plan_done}}</span>{{/done}}{{#overdue}}<span class="tag bad">{{t.plan_overdue}}</span>{{/overdue}}</td></tr>{{/plan}}</tbody></table></div>{{/hasPlan}}
      {{#hasShipments}}<h2>{{t.order_shipments}}</h2><ul class="timeline">{{#shipments}}<li><time>{{when}}</time> {{carrier}}{{#tracking}} · <code>{{tracking}}</code>{{/tracking}} · {{items}}{{#delivered}} · <span class="tag">{{t.shipment_delivered}} {{delivered}}</span>{{/delivered}}</li>{{/shipments}}</ul>{{/hasShipments}}
      <div class="actions-row">
        {{#canPay}}<form method="post" action="{{payHref}}" class="card stack"><h2>{{t.order_pay}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.payment_amount}}<input name="amount" value="{{outstandingPlain}}" inputmode="decimal" required></label>
          <label>{{t.payment_method}}<input name="method" list="pay-methods"></label><datalist id="pay-methods">{{#methods}}<option value="{{value}}">{{/methods}}</datalist>
          <label>{{t.payment_reference}}<input name="reference" maxlength="100"></label><button class="primary">{{t.order_pay}}</button></form>{{/canPay}}
        {{#canShip}}<form method="post" action="{{shipHref}}" class="card stack"><h2>{{t.order_ship}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.shipment_carrier}}<input name="carrier" required maxlength="60"></label><label>{{t.shipment_tracking}}<input name="tracking_number" maxlength="60"></label>
          {{#shipLines}}<label>{{name}} ({{t.line_left}} {{left}})<input name="qty_{{id}}" value="{{left}}" inputmode="numeric"></label>{{/shipLines}}
          <button class="primary">{{t.order_ship}}</button></form>{{/canShip}}
        {{#canDeliver}}<form method="post" action="{{deliverHref}}" class="card stack"><h2>{{t.order_deliver}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><p class="hint">{{t.order_deliver_hint}}</p><button class="primary">{{t.order_deliver}}</button></form>{{/canDeliver}}
        {{#canConfirm}}<form method="post" action="{{confirmHref}}" class="card stack"><h2>{{t.order_confirm}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><p class="hint">{{t.order_confirm_hint}}</p><button class="primary">{{t.order_confirm}}</button></form>{{/canConfirm}}
        {{#canPlan}}<form method="post" action="{{planHref}}" class="card stack"><h2>{{t.order_plan}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><p class="hint">{{t.order_plan_hint}}</p>
          {{#planRows}}<div class="inline"><label>{{t.plan_due}} {{n}}<input type="date" name="due_{{i}}"></label><label>{{t.plan_amount}} {{n}}<input name="amount_{{i}}" inputmode="decimal"></label></div>{{/planRows}}
          <button>{{t.save}}</button></form>{{/canPlan}}
        {{#canReturn}}<form method="post" action="{{returnHref}}" class="card stack"><h2>{{t.order_return}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          {{#returnLines}}<label>{{name}} ({{t.line_left}} {{left}})<input name="qty_{{id}}" inputmode="numeric"></label>{{/returnLines}}
          <label>{{t.lead_reason}}<input name="reason" required maxlength="200"></label><button>{{t.order_return}}</button></form>{{/canReturn}}
        {{#canRefund}}<form method="post" action="{{refundHref}}" class="card stack"><h2>{{t.order_refund}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.payment_amount}}<input name="amount" inputmode="decimal" required></label><label>{{t.lead_reason}}<input name="note" maxlength="200"></label><button>{{t.order_refund}}</button></form>{{/canRefund}}
        {{#canCancel}}<form method="post" action="{{cancelHref}}" class="card stack"><h2>{{t.order_cancel}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
          <label>{{t.lead_reason}}<input name="reason" required maxlength="200"></label><button>{{t.order_cancel}}</button></form>{{/canCancel}}
      </div>
    </article>
    """

    static let documentForm = """
    <section class="card">
      <h1>{{heading}}</h1>
      <p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>
      <form method="post" action="{{action}}" novalidate class="doc-form">
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="customer_id" value="{{customerID}}">{{#version}}<input type="hidden" name="version" value="{{version}}">{{/version}}{{#dealID}}<input type="hidden" name="deal_id" value="{{dealID}}">{{/dealID}}
        {{#isQuote}}<label>{{t.quote_title}}<input name="title" value="{{title}}" maxlength="200"></label>{{/isQuote}}
        <label>{{t.price_list}}<select name="price_list_id">{{#lists}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/lists}}</select></label>
        <fieldset><legend>{{t.doc_lines}}</legend><p class="hint">{{t.lines_hint}}</p>{{#linesError}}<p class="error">{{linesError}}</p>{{/linesError}}
          {{#rows}}<div class="line-row{{#error}} invalid{{/error}}"><span class="n" aria-hidden="true">{{n}}</span>
            <label>{{t.line_product_id}}<select name="lines[{{i}}].product_id"><option value="">—</option>{{#products}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/products}}</select></label>
            <label>{{t.line_name}}<input name="lines[{{i}}].name" value="{{name}}" maxlength="200"></label>
            <label>{{t.line_quantity}}<input name="lines[{{i}}].quantity" value="{{quantity}}" inputmode="numeric"></label>
            <label>{{t.line_unit_price}}<input name="lines[{{i}}].unit_price" value="{{price}}" inputmode="decimal"></label>
            <label>{{t.line_discount}}<input name="lines[{{i}}].discount" value="{{discount}}" inputmode="decimal"></label>
            {{#available}}<small class="stock{{#oversell}} warn{{/oversell}}">{{t.stock_available}} {{available}}{{#oversell}} · {{t.stock_oversell}}{{/oversell}}</small>{{/available}}
            {{#error}}<small class="error">{{error}}</small>{{/error}}</div>{{/rows}}
        </fieldset>
        {{#isQuote}}<label class="{{#validError}}invalid{{/validError}}">{{t.quote_valid_until}}<input type="date" name="valid_until" value="{{validUntil}}">{{#validError}}<small class="error">{{validError}}</small>{{/validError}}</label>
        <label>{{t.quote_message}}<textarea name="message" rows="3">{{message}}</textarea></label>
        <label>{{t.quote_terms}}<textarea name="terms" rows="3">{{terms}}</textarea></label>
        {{#isNew}}<label class="choice"><input type="checkbox" name="inquiry" value="1"{{#inquiry}} checked{{/inquiry}}> {{t.quote_inquiry_hint}}</label>{{/isNew}}{{/isQuote}}
        {{^isQuote}}<fieldset class="ship-to"><legend>{{t.ship_to}}</legend><p class="hint">{{t.ship_to_hint}}</p>
          {{#shipTo}}<label class="{{#error}}invalid{{/error}}{{#multiline}} full{{/multiline}}">{{label}}{{#multiline}}<textarea name="{{name}}" rows="2" autocomplete="{{autocomplete}}" aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{id}}"{{/error}}>{{value}}</textarea>{{/multiline}}{{^multiline}}<input name="{{name}}" value="{{value}}" autocomplete="{{autocomplete}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{id}}"{{/error}}>{{/multiline}}{{#error}}<small class="error" id="e-{{id}}">{{error}}</small>{{/error}}</label>{{/shipTo}}
        </fieldset>
        <label>{{t.note}}<textarea name="note" rows="2">{{note}}</textarea></label>{{/isQuote}}
        <div class="actions"><button class="primary">{{t.save}}</button> <a href="{{cancelHref}}">{{t.cancel}}</a></div>
      </form>
    </section>
    """

    static let quotes = """
    <section>
      <div class="head"><h1>{{t.quotes}}</h1><span><a class="button" href="{{ordersHref}}">{{t.orders}}</a>{{#newHref}} <a class="button primary" href="{{newHref}}">{{t.new_quote}}</a>{{/newHref}}</span></div>
      <nav class="tabs" aria-label="{{t.quote_status}}">{{#tabs}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
      {{#hasRows}}<div class="scroll"><table class="list stack">
        <thead><tr><th scope="col">{{t.quote_number}}</th><th scope="col">{{t.quote_title}}</th><th scope="col">{{t.customer}}</th><th scope="col">{{t.quote_status}}</th><th scope="col" class="num">{{t.order_total}}</th><th scope="col" class="wide">{{t.quote_valid_until}}</th></tr></thead>
        <tbody>{{#rows}}<tr><td data-label="{{t.quote_number}}"><a href="{{href}}">{{number}}</a></td><td data-label="{{t.quote_title}}">{{title}}</td><td data-label="{{t.customer}}"><a href="{{customerHref}}">{{customer}}</a></td><td data-label="{{t.quote_status}}"><span class="tag">{{status}}</span>{{#expired}} <span class="tag bad">{{t.quote_expired}}</span>{{/expired}}</td><td class="num" data-label="{{t.order_total}}">{{total}}</td><td class="wide" data-label="{{t.quote_valid_until}}">{{valid}}</td></tr>{{/rows}}</tbody>
      </table></div>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_quotes}}</p>{{/hasRows}}
      {{#pager}}{{> list_pager}}{{/pager}}
    </section>
    """

    static let quote = """
    <article class="c360">
      <div class="head"><h1>{{heading}} <small>{{title}}</small></h1><span><a class="button" href="{{printHref}}">{{t.quote_print}}</a> <a class="button" href="{{listHref}}">{{t.quotes}}</a></span></div>
      {{#customerHref}}<p class="meta"><a href="{{customerHref}}">{{customerName}}</a></p>{{/customerHref}}
      {{#hasRevisions}}<nav class="tabs" aria-label="{{t.quote_revisions}}">{{#revisions}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/revisions}}</nav>{{/hasRevisions}}
      <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>
      {{#orderHref}}<p class="flash ok"><a href="{{orderHref}}">{{t.quote_order_link}}</a></p>{{/orderHref}}
      <h2>{{t.doc_lines}}</h2>
      {{> lines_table}}
      {{#message}}<h2>{{t.quote_message}}</h2><p class="pre">{{message}}</p>{{/message}}
      {{#terms}}<h2>{{t.quote_terms}}</h2><p class="pre">{{terms}}</p>{{/terms}}
      <div class="actions-row">
        {{#canAccept}}<form method="post" action="{{acceptHref}}" class="card stack"><h2>{{t.quote_accept}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><p class="hint">{{t.quote_accept_hint}}</p><button class="primary">{{t.quote_accept}}</button></form>{{/canAccept}}
        {{#moves}}<form method="post" action="{{statusHref}}" class="card stack"><h2>{{label}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="status" value="{{value}}"><button class="primary">{{label}}</button></form>{{/moves}}
        {{#canEdit}}<div class="card stack"><h2>{{t.edit}}</h2><a class="button" href="{{editHref}}">{{t.edit}}</a></div>{{/canEdit}}
        {{#canRevise}}<form method="post" action="{{reviseHref}}" class="card stack"><h2>{{t.quote_revise}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><p class="hint">{{t.quote_revise_hint}}</p><button>{{t.quote_revise}}</button></form>{{/canRevise}}
        {{#canReject}}<form method="post" action="{{statusHref}}" class="card stack"><h2>{{t.quote_reject}}</h2><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="status" value="rejected">
          <label>{{t.lead_reason}}<input name="reason" required maxlength="200"></label><button>{{t.quote_reject}}</button></form>{{/canReject}}
      </div>
    </article>
    """

    static let quotePrint = """
    <article class="print-doc">
      <p class="no-print"><a class="button" href="{{backHref}}">{{t.back}}</a> <button type="button" data-print>{{t.quote_print}}</button></p>
      <header><h1>{{company}}</h1><h2>{{t.quote_document}} <span>{{number}} {{revision}}</span></h2></header>
      <dl class="doc-meta">
        <div><dt>{{t.quote_to}}</dt><dd>{{customer}}{{#customerOrg}} · {{customerOrg}}{{/customerOrg}}</dd></div>
        <div><dt>{{t.quote_date}}</dt><dd>{{date}}</dd></div>
        {{#valid}}<div><dt>{{t.quote_valid_until}}</dt><dd>{{valid}}</dd></div>{{/valid}}
        {{#owner}}<div><dt>{{t.quote_contact}}</dt><dd>{{owner}}{{#ownerEmail}} · {{ownerEmail}}{{/ownerEmail}}</dd></div>{{/owner}}
      </dl>
      <p><strong>{{title}}</strong></p>
      {{> lines_table}}
      {{#message}}<p class="pre">{{message}}</p>{{/message}}
      {{#terms}}<h3>{{t.quote_terms}}</h3><p class="pre">{{terms}}</p>{{/terms}}
      <p class="sign">{{t.quote_sign}}</p>
    </article>
    """

    static let products = """
    <section>
      <div class="head"><h1>{{t.products}}</h1><a class="button" href="{{ordersHref}}">{{t.orders}}</a></div>
      <p class="hint">{{t.price_lists}}: {{#lists}}<span class="tag">{{name}} · {{currency}}{{#default}} ★{{/default}}</span> {{/lists}}</p>
      {{#hasRows}}<div class="scroll"><table class="list">
        <thead><tr><th scope="col">{{t.product_sku}}</th><th scope="col">{{t.product_name}}</th><th scope="col" class="num">{{t.stock_available}}</th><th scope="col">{{t.product_unit}}</th><th scope="col" class="num">{{t.product_tax_rate}}</th>{{#lists}}<th scope="col" class="num">{{name}}</th>{{/lists}}{{#canEdit}}<th scope="col">{{t.actions}}</th>{{/canEdit}}</tr></thead>
        <tbody>{{#rows}}<tr><td><code>{{sku}}</code></td><td>{{name}}{{#inactive}} <span class="tag bad">{{t.product_inactive}}</span>{{/inactive}}</td><td class="num{{#short}} bad{{/short}}"{{#stockTitle}} title="{{stockTitle}}"{{/stockTitle}}>{{available}}</td><td>{{unit}}</td><td class="num">{{tax}}</td>{{#prices}}<td class="num">{{value}}</td>{{/prices}}{{#canEdit}}<td><a href="{{editHref}}">{{t.edit}}</a></td>{{/canEdit}}</tr>{{/rows}}</tbody>
      </table></div>{{/hasRows}}
      {{^hasRows}}<p class="empty">{{t.no_products}}</p>{{/hasRows}}
      {{#canEdit}}<div class="actions-row">
      <form method="post" action="{{saveHref}}" class="card stack" novalidate><h2>{{#editing}}{{t.edit}}{{/editing}}{{^editing}}{{t.new_product}}{{/editing}}</h2>
        <input type="hidden" name="_csrf" value="{{csrf}}">{{#id}}<input type="hidden" name="id" value="{{id}}"><input type="hidden" name="version" value="{{version}}">{{/id}}
        {{#fields}}<label class="{{#error}}invalid{{/error}}">{{label}}{{#required}} <span aria-hidden="true">*</span>{{/required}}<input type="{{type}}" name="{{name}}" value="{{value}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}}{{#required}} required{{/required}} aria-invalid="{{#error}}true{{/error}}{{^error}}false{{/error}}"{{#error}} aria-errormessage="e-{{name}}"{{/error}}>{{#error}}<small class="error" id="e-{{name}}">{{error}}</small>{{/error}}</label>{{/fields}}
        {{#priceFields}}<label class="{{#error}}invalid{{/error}}">{{label}}<input name="{{name}}" value="{{value}}" inputmode="decimal">{{#error}}<small class="error">{{error}}</small>{{/error}}</label>{{/priceFields}}
        <label class="choice"><input type="checkbox" name="active" value="1"{{#active}} checked{{/active}}> {{t.product_active}}</label>
        <button class="primary">{{t.save}}</button></form>
      <form method="post" action="{{listHref}}" class="card stack"><h2>{{t.new_price_list}}</h2><input type="hidden" name="_csrf" value="{{csrf}}">
        <label>{{t.name}}<input name="list_name" required maxlength="100"></label>
        <label>{{t.deal_currency}}<select name="list_currency">{{#currencies}}<option value="{{value}}">{{value}}</option>{{/currencies}}</select></label>
        {{#listError}}<small class="error">{{listError}}</small>{{/listError}}
        <button>{{t.add}}</button></form>
      </div>{{/canEdit}}
    </section>
    """

    static let all: [String: String] = ["lines_table": linesTable, "orders": orders, "order": order, "document_form": documentForm,
                                        "quotes": quotes, "quote": quote, "quote_print": quotePrint, "products": products]

    static let css = """
    .num{text-align:right;white-space:nowrap}
    .doc-lines tfoot th{text-align:right;font-weight:400;color:var(--muted)}
    .doc-lines tfoot .grand th,.doc-lines tfoot .grand td{font-weight:700;color:var(--ink)}
    .status-board a{display:flex;flex-direction:column;align-items:flex-start}
    .status-board small{color:var(--muted);font-size:.75rem}
    .line-row{display:grid;grid-template-columns:1.6rem minmax(10rem,2fr) minmax(8rem,2fr) minmax(4rem,.7fr) minmax(6rem,1fr) minmax(4rem,.7fr);gap:0 .6rem;align-items:end;border-bottom:1px dashed var(--line);padding:.2rem 0}
    .line-row .n{color:var(--muted);padding-bottom:.8rem}
    .line-row .error,.line-row .stock{grid-column:2/-1}
    .stock{color:var(--muted)}.stock.warn,.num.bad{color:var(--bad);font-weight:600}
    .flash.warn ul{margin:.3rem 0 0;padding-left:1.2rem}
    .ship-to{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,11rem),1fr));gap:0 .8rem}
    .ship-to legend,.ship-to .hint,.ship-to .full{grid-column:1/-1}
    .line-row.invalid input{border-color:var(--bad)}
    fieldset{border:1px solid var(--line);border-radius:.5rem;margin:1rem 0;padding:.5rem .8rem}
    legend{font-weight:600;padding:0 .3rem}
    .pre{white-space:pre-wrap}
    .print-doc{max-width:48rem;margin:0 auto}
    .print-doc header h1{margin-bottom:0}
    .print-doc header h2 span{font-weight:400;color:var(--muted)}
    .doc-meta{display:grid;grid-template-columns:repeat(2,1fr);gap:.3rem 1rem}
    .doc-meta dt{font-size:.8rem;color:var(--muted)}.doc-meta dd{margin:0}
    .sign{margin-top:3rem;border-top:1px solid var(--ink);width:16rem;padding-top:.3rem}
    @media (max-width:640px){.doc-lines th:nth-child(n+4):nth-child(-n+6),.doc-lines td:nth-child(n+4):nth-child(-n+6){display:none}
      .doc-lines .pad{display:none}.scroll .doc-lines td:nth-child(2){white-space:normal;min-width:6rem}}
    @media (max-width:640px){.line-row{grid-template-columns:1.2rem 1fr 1fr}.line-row .n{grid-row:span 4;align-self:start;padding:1.7rem 0 0}.line-row label:nth-of-type(1),.line-row label:nth-of-type(2){grid-column:span 2}.doc-meta{grid-template-columns:1fr}}
    @media print{.no-print,.bar,.skip{display:none}body{background:#fff}.list{border:0}}
    """
}
