import GuanxiCore
import GuanxiWebPlatform

/// The call centre's templates, words and script.
enum CallTemplates {
    static let log = """
    <section class="card calls">
      <h1>{{t.calls}}</h1>
      {{#has_periods}}<h2>{{t.call_stats}}</h2>
      <div class="scroll"><table class="list stack call-stats"><thead><tr><th scope="col">{{t.call_period}}</th><th scope="col">{{t.call_inbound}}</th><th scope="col">{{t.call_answered_rate}}</th><th scope="col">{{t.call_aht}}</th><th scope="col">{{t.call_missed}}</th><th scope="col">{{t.call_called_back}}</th></tr></thead>
      <tbody>{{#periods}}<tr><td data-label="{{t.call_period}}"><strong>{{label}}</strong></td><td data-label="{{t.call_inbound}}">{{inbound}}</td><td data-label="{{t.call_answered_rate}}">{{answeredRate}}</td><td data-label="{{t.call_aht}}">{{aht}}</td><td data-label="{{t.call_missed}}">{{missed}}</td><td data-label="{{t.call_called_back}}">{{calledBack}} ({{calledBackRate}})</td></tr>{{/periods}}</tbody></table></div>{{/has_periods}}
      <h2>{{t.call_recent}}</h2>
      {{^rows}}<p>{{t.call_none}}</p>{{/rows}}
      {{#has_rows}}<div class="scroll"><table class="list stack"><thead><tr><th scope="col">{{t.call_when}}</th><th scope="col">{{t.call_number}}</th><th scope="col">{{t.call_direction}}</th><th scope="col">{{t.call_state}}</th><th scope="col">{{t.call_duration}}</th><th scope="col">{{t.call_follow_up}}</th></tr></thead>
      <tbody>{{#rows}}<tr><td data-label="{{t.call_when}}">{{when}}</td><td data-label="{{t.call_number}}">{{#customerHref}}<a href="{{customerHref}}">{{phone}}</a>{{/customerHref}}{{^customerHref}}{{phone}}{{/customerHref}}</td><td data-label="{{t.call_direction}}">{{direction}}</td><td data-label="{{t.call_state}}">{{state}}</td><td data-label="{{t.call_duration}}">{{duration}}{{#recording}} <a href="{{recording}}" rel="noopener noreferrer">{{t.call_recording}}</a>{{/recording}}</td><td data-label="{{t.call_follow_up}}">{{followUp}}</td></tr>{{/rows}}</tbody></table></div>{{/has_rows}}
      {{#settings}}
      <h2 id="settings">{{t.call_settings}}</h2>
      {{#has_errors}}<ul class="flash error" role="alert">{{#errors}}<li>{{field}}: {{message}}</li>{{/errors}}</ul>{{/has_errors}}
      <dl class="facts"><div><dt>{{t.call_hook_url}}</dt><dd><code>{{hookURL}}</code></dd></div><div><dt>{{t.call_secret}}</dt><dd><code>{{secret}}</code>{{#previousUntil}} <span class="muted">{{t.call_previous_until}} {{previousUntil}}</span>{{/previousUntil}}</dd></div></dl>
      <form method="post" action="/calls/settings/rotate" class="button-form"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.call_rotate}}</button></form>
      <form method="post" action="/calls/settings" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label>{{t.call_field_dial_url}}<input type="url" name="dial_url" value="{{dialURL}}" maxlength="2000" placeholder="{{t.call_dial_url_example}}"></label>
        <label>{{t.call_field_sms_url}}<input type="url" name="sms_url" value="{{smsURL}}" maxlength="2000" placeholder="{{t.call_sms_url_example}}"><small class="hint">{{t.call_sms_url_hint}}</small></label>
        <label>{{t.call_field_missed_rule}}<select name="missed_rule">{{#rules}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/rules}}</select></label>
        <label>{{t.call_field_missed_assignee}}<select name="missed_assignee">{{#assignees}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/assignees}}</select></label>
        <label>{{t.call_field_callback_sla_minutes}}<input type="number" name="callback_sla_minutes" value="{{sla}}" min="1" max="10080" required></label>
        <label>{{t.call_field_extensions}}<textarea name="extensions" rows="4" placeholder="{{t.call_extensions_example}}">{{extensions}}</textarea></label>
        <button class="primary">{{t.save}}</button>
      </form>
      {{/settings}}
    </section>
    """

    static let caller = """
    <section class="card narrow">
      <h1>{{t.call_unknown}}</h1>
      <form method="post" action="/calls/caller" class="stack">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label>{{t.call_caller_name}}<input name="name" value="{{name}}" required maxlength="200"{{#nameError}} aria-invalid="true" aria-describedby="name-error"{{/nameError}}></label>
        {{#nameError}}<p class="field-error" id="name-error">{{nameError}}</p>{{/nameError}}
        <label>{{t.call_number}}<input name="phone" value="{{phone}}" required maxlength="64" inputmode="tel"{{#phoneError}} aria-invalid="true" aria-describedby="phone-error"{{/phoneError}}></label>
        {{#phoneError}}<p class="field-error" id="phone-error">{{phoneError}}</p>{{/phoneError}}
        <button class="primary">{{t.call_create_customer}}</button>
      </form>
    </section>
    """

    static let dial = """
    <section class="card narrow"><h1>{{t.call_dial}}</h1><p><a href="{{back}}">{{t.call_back}}</a></p></section>
    """

    static let customerCalls = """
    <section class="customer-calls"><h2>{{t.calls}}</h2>
      {{#has_numbers}}<div class="dial">{{#numbers}}<form method="post" action="/calls/dial" class="button-form"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="number" value="{{number}}"><input type="hidden" name="customer_id" value="{{customerID}}"><button data-dial>{{t.call_dial}} {{number}}</button></form> {{/numbers}}</div>{{/has_numbers}}
      <ul class="related">{{#items}}<li>{{when}} · {{direction}} · {{state}}{{#duration}} · {{duration}}{{/duration}}{{#recording}} · <a href="{{recording}}" rel="noopener noreferrer">{{t.call_recording}}</a>{{/recording}}</li>{{/items}}</ul>
    </section>
    """

    static let all = ["calls": log, "calls_caller": caller, "calls_dial": dial, "customer_calls": customerCalls]

    static let css = """
    .call-pop{position:fixed;right:1rem;bottom:1rem;z-index:50;max-width:calc(100vw - 2rem);background:#fff;border:2px solid #2a6;border-radius:.5rem;padding:.75rem 1rem;box-shadow:0 4px 16px rgba(0,0,0,.2)}
    .call-pop p{margin:0 0 .5rem;font-weight:600;overflow-wrap:anywhere}
    .call-pop a.button{margin-right:.5rem}
    .customer-calls .dial{display:flex;flex-wrap:wrap;gap:.5rem;margin-bottom:.5rem}
    .calls textarea{width:100%}
    """

    /// The screen pop: signed-in pages keep an event stream open and offer a ringing call's
    /// customer (or the unknown caller's form) in a box; an answer or end elsewhere takes it away.
    static let script = """
    (function(){
      if(!window.EventSource || !document.querySelector('form.out[action="/sign-out"]')) return;
      var es, boxes={};
      // the browser reconnects a stream that ended by itself; one it gave up on (the server was
      // away when it tried, a restart) is opened again here, every 5 s until it holds
      function connect(){
        es=new EventSource('/calls/events');
        es.addEventListener('call', pop);
        es.addEventListener('error', function(){ if(es.readyState===2){ setTimeout(connect, 5000); } });
      }
      function pop(m){
        var d; try{ d=JSON.parse(m.data); }catch(e){ return; }
        if(d.event!=='ringing'){ if(boxes[d.call_id]){ boxes[d.call_id].remove(); delete boxes[d.call_id]; } return; }
        if(boxes[d.call_id]) return;
        var box=document.createElement('div'); box.className='call-pop'; box.setAttribute('role','alert'); box.setAttribute('data-call',d.call_id);
        var p=document.createElement('p'); p.textContent=d.title+' '+d.phone; box.appendChild(p);
        var a=document.createElement('a'); a.className='button primary'; a.href=d.href; a.textContent=d.open; box.appendChild(a);
        var b=document.createElement('button'); b.type='button'; b.textContent=d.dismiss;
        b.addEventListener('click', function(){ box.remove(); delete boxes[d.call_id]; }); box.appendChild(b);
        document.body.appendChild(box); boxes[d.call_id]=box; a.focus();
      }
      connect();
      window.addEventListener('pagehide', function(){ es.close(); });
    })();
    """

    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "calls": "电话", "call_stats": "电话统计", "call_period": "期间", "call_inbound": "来电", "call_answered_rate": "接通率", "call_aht": "平均处理时长",
            "call_missed": "未接", "call_called_back": "时限内回电", "call_recent": "最近的电话", "call_none": "还没有电话记录。", "call_when": "时间",
            "call_number": "号码", "call_direction": "方向", "call_state": "状态", "call_duration": "通话时长", "call_follow_up": "后续",
            "call_recording": "录音", "call_settings": "电话设置", "call_hook_url": "事件接口地址", "call_secret": "签名密钥",
            "call_previous_until": "旧密钥有效至", "call_rotate": "更换密钥", "call_field_dial_url": "外呼接口地址（点击拨号）", "call_dial_url_example": "https://pbx.example.cn/guanxi/dial", "call_extensions_example": "8001 agent@example.cn",
            "call_field_missed_rule": "未接来电转为", "call_field_missed_assignee": "交给", "call_field_callback_sla_minutes": "回电时限（分钟）",
            "call_field_extensions": "坐席分机（每行：分机号 邮箱）", "call_field_dial_url_short": "外呼地址",
            "call_field_sms_url": "短信接口地址", "call_sms_url_example": "https://sms.example.cn/guanxi/send",
            "call_sms_url_hint": "门户登录验证码经此发送：带签名的 JSON（to、text），密钥同上", "call_field_sms_url_short": "短信地址",
            "call_rule_task": "回电待办", "call_rule_ticket": "工单", "call_rule_nothing": "不处理",
            "call_assign_owner": "号码所属客户的负责人", "call_assign_agent": "振铃的坐席",
            "call_direction_inbound": "呼入", "call_direction_outbound": "呼出",
            "call_state_ringing": "振铃中", "call_state_answered": "通话中", "call_state_ended": "已接听", "call_state_missed": "未接",
            "call_follow_task": "回电待办", "call_follow_ticket": "工单", "call_last_7": "近 7 天", "call_last_30": "近 30 天",
            "call_unknown": "陌生来电", "call_caller_name": "来电人姓名", "call_create_customer": "新建客户", "call_dial": "拨打",
            "call_back": "返回", "call_dial_sent": "已请求电话系统拨打 {n}，请留意您的话机。", "call_dial_refused": "电话系统未接受拨号请求（{s}）。",
            "call_ringing": "来电", "call_open_customer": "打开客户", "call_new_customer": "陌生号码：新建客户", "call_dismiss": "关闭",
            "event_call": "电话", "call_step_ended": "已接听", "call_step_missed": "未接来电", "call_step_recording": "录音可用",
            "audit_calls": "电话", "audit_telephony_settings": "电话设置", "audit_rotate": "更换密钥", "call_field_extensions_short": "分机",
        ],
        .zhHant: [
            "calls": "電話", "call_stats": "電話統計", "call_period": "期間", "call_inbound": "來電", "call_answered_rate": "接通率", "call_aht": "平均處理時間",
            "call_missed": "未接", "call_called_back": "時限內回電", "call_recent": "最近的電話", "call_none": "還沒有電話紀錄。", "call_when": "時間",
            "call_number": "號碼", "call_direction": "方向", "call_state": "狀態", "call_duration": "通話時間", "call_follow_up": "後續",
            "call_recording": "錄音", "call_settings": "電話設定", "call_hook_url": "事件介面網址", "call_secret": "簽章金鑰",
            "call_previous_until": "舊金鑰有效至", "call_rotate": "更換金鑰", "call_field_dial_url": "外撥介面網址（點擊撥號）", "call_dial_url_example": "https://pbx.example.cn/guanxi/dial", "call_extensions_example": "8001 agent@example.cn",
            "call_field_missed_rule": "未接來電轉為", "call_field_missed_assignee": "交給", "call_field_callback_sla_minutes": "回電時限（分鐘）",
            "call_field_extensions": "客服分機（每行：分機號碼 電子郵件）", "call_field_dial_url_short": "外撥網址",
            "call_field_sms_url": "簡訊介面網址", "call_sms_url_example": "https://sms.example.cn/guanxi/send",
            "call_sms_url_hint": "入口網站登入驗證碼經此傳送：帶簽章的 JSON（to、text），金鑰同上", "call_field_sms_url_short": "簡訊網址",
            "call_rule_task": "回電待辦", "call_rule_ticket": "工單", "call_rule_nothing": "不處理",
            "call_assign_owner": "號碼所屬客戶的負責人", "call_assign_agent": "響鈴的客服",
            "call_direction_inbound": "撥入", "call_direction_outbound": "撥出",
            "call_state_ringing": "響鈴中", "call_state_answered": "通話中", "call_state_ended": "已接聽", "call_state_missed": "未接",
            "call_follow_task": "回電待辦", "call_follow_ticket": "工單", "call_last_7": "近 7 天", "call_last_30": "近 30 天",
            "call_unknown": "陌生來電", "call_caller_name": "來電者姓名", "call_create_customer": "新增客戶", "call_dial": "撥打",
            "call_back": "返回", "call_dial_sent": "已請電話系統撥打 {n}，請留意您的話機。", "call_dial_refused": "電話系統未接受撥號請求（{s}）。",
            "call_ringing": "來電", "call_open_customer": "開啟客戶", "call_new_customer": "陌生號碼：新增客戶", "call_dismiss": "關閉",
            "event_call": "電話", "call_step_ended": "已接聽", "call_step_missed": "未接來電", "call_step_recording": "錄音可用",
            "audit_calls": "電話", "audit_telephony_settings": "電話設定", "audit_rotate": "更換金鑰", "call_field_extensions_short": "分機",
        ],
        .en: [
            "calls": "Calls", "call_stats": "Call figures", "call_period": "Period", "call_inbound": "Inbound", "call_answered_rate": "Answered",
            "call_aht": "Average handling time", "call_missed": "Missed", "call_called_back": "Called back in time", "call_recent": "Recent calls",
            "call_none": "No calls yet.", "call_when": "When", "call_number": "Number", "call_direction": "Direction", "call_state": "State",
            "call_duration": "Duration", "call_follow_up": "Follow-up", "call_recording": "Recording", "call_settings": "Telephony settings",
            "call_hook_url": "Event webhook address", "call_secret": "Signing secret", "call_previous_until": "previous secret valid until",
            "call_rotate": "Rotate the secret", "call_field_dial_url": "Dial webhook address (click-to-call)", "call_dial_url_example": "https://pbx.example.com/guanxi/dial", "call_extensions_example": "8001 agent@example.com", "call_field_missed_rule": "A missed call becomes",
            "call_field_missed_assignee": "Given to", "call_field_callback_sla_minutes": "Call back within (minutes)",
            "call_field_extensions": "Agents' extensions (one a line: extension email)", "call_field_dial_url_short": "Dial address",
            "call_field_sms_url": "Text message address", "call_sms_url_example": "https://sms.example.com/guanxi/send",
            "call_sms_url_hint": "Portal sign-in codes are sent here: signed JSON (to, text), the same secret as above", "call_field_sms_url_short": "Text address",
            "call_rule_task": "A call-back task", "call_rule_ticket": "A ticket", "call_rule_nothing": "Nothing",
            "call_assign_owner": "The number's customer owner", "call_assign_agent": "The agent it rang for",
            "call_direction_inbound": "Inbound", "call_direction_outbound": "Outbound",
            "call_state_ringing": "Ringing", "call_state_answered": "In progress", "call_state_ended": "Answered", "call_state_missed": "Missed",
            "call_follow_task": "Call-back task", "call_follow_ticket": "Ticket", "call_last_7": "Last 7 days", "call_last_30": "Last 30 days",
            "call_unknown": "Unknown caller", "call_caller_name": "Caller's name", "call_create_customer": "Create the customer", "call_dial": "Call",
            "call_back": "Back", "call_dial_sent": "The telephone system was asked to call {n}; watch your phone.",
            "call_dial_refused": "The telephone system did not take the call request ({s}).",
            "call_ringing": "Incoming call", "call_open_customer": "Open the customer", "call_new_customer": "Unknown number: new customer",
            "call_dismiss": "Dismiss", "event_call": "Call", "call_step_ended": "answered", "call_step_missed": "missed call",
            "call_step_recording": "recording available", "audit_calls": "Calls", "audit_telephony_settings": "Telephony settings",
            "audit_rotate": "Rotate", "call_field_extensions_short": "Extensions",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("must be an http or https address", "须为 http 或 https 地址", "須為 http 或 https 網址"),
        ("must be between 1 and 10080 minutes", "须在 1 到 10080 分钟之间", "須在 1 到 10080 分鐘之間"),
        ("{0} is not an extension (letters, digits, * and #, up to 32)", "{0} 不是分机号（字母、数字、* 和 #，最多 32 个）", "{0} 不是分機號碼（字母、數字、* 和 #，最多 32 個）"),
        ("{0} has two extensions", "{0} 有两个分机", "{0} 有兩個分機"),
        ("click-to-call is not set up: the dial address is empty (settings, telephony)", "尚未设置点击拨号：外呼接口地址为空（电话设置）", "尚未設定點擊撥號：外撥介面網址為空（電話設定）"),
        ("you have no extension yet; an administrator gives you one in the telephony settings", "您还没有分机；请管理员在电话设置中分配", "您還沒有分機；請管理員在電話設定中分配"),
        ("too many open call windows; close one and try again", "打开的来电窗口太多，请关闭一个后再试", "開啟的來電視窗太多，請關閉一個後再試"),
    ]
}
