import GuanxiWebPlatform

/// The words of the public pool, handover, invitation and set-password pages and mails, and the
/// messages those pages can show.
enum AccessCatalog {
    static let strings: [UILocale: [String: String]] = [
        .zhHans: [
            "pool_hint": "公海里是暂时没有负责人的客户。领取后归你负责；长期不跟进的客户会按规则回到公海。", "pool_claim": "领取",
            "pool_release": "退回公海", "pool_empty": "公海里没有符合条件的客户。",
            "handover": "交接", "handover_title": "交接：{name}", "handover_hint": "把这位成员名下的客户、线索、商机、进行中的报价和订单、未完成的待办一次移交给接手人；每条记录的时间线都会记下这次交接。",
            "handover_to": "接手人", "handover_preview": "将要移交", "handover_deactivate": "交接后停用这位成员", "handover_run": "开始交接",
            "handover_done": "交接完成：", "handover_nothing": "这位成员名下没有需要交接的记录。", "to_user_ids": "接手人",
            "invite": "邀请成员", "invite_hint": "对方会收到一封设置密码的邮件，链接 7 天内有效。", "invite_send": "发送邀请", "invite_sent": "邀请已发送至",
            "invite_mail_subject": "邀请您加入「{workspace}」", "invite_mail_body": "您好！\n\n{inviter} 邀请您加入「{workspace}」的关系 CRM。请打开下面的链接设置密码（7 天内有效）：\n\n{link}\n\n如果您不认识发件人，忽略这封邮件即可。",
            "forgot_password": "忘记密码？", "reset_title": "重置密码", "reset_hint": "填写您的登录邮箱，我们会发一封设置密码的邮件，链接 1 小时内有效。",
            "reset_send": "发送链接", "reset_sent": "如果这个邮箱已注册，设置密码的链接已经发出，请查收邮件。",
            "reset_mail_subject": "设置您的关系 CRM 密码", "reset_mail_body": "您好！\n\n有人（希望是您）请求重置密码。请打开下面的链接设置新密码（1 小时内有效）：\n\n{link}\n\n如果不是您本人操作，忽略这封邮件即可，密码不会改变。",
            "set_password_title": "设置密码", "new_password": "新密码（至少 8 个字符）", "set_password": "保存密码", "password_set": "密码已设置，现在可以登录了。",
            "field_token": "链接",
        ],
        .zhHant: [
            "pool_hint": "公海裡是暫時沒有負責人的客戶。領取後由你負責；長期未跟進的客戶會依規則回到公海。", "pool_claim": "領取",
            "pool_release": "退回公海", "pool_empty": "公海裡沒有符合條件的客戶。",
            "handover": "交接", "handover_title": "交接：{name}", "handover_hint": "把這位成員名下的客戶、潛在客戶、商機、進行中的報價與訂單、未完成的待辦一次移交給接手人；每筆紀錄的時間軸都會記下這次交接。",
            "handover_to": "接手人", "handover_preview": "將要移交", "handover_deactivate": "交接後停用這位成員", "handover_run": "開始交接",
            "handover_done": "交接完成：", "handover_nothing": "這位成員名下沒有需要交接的紀錄。", "to_user_ids": "接手人",
            "invite": "邀請成員", "invite_hint": "對方會收到一封設定密碼的郵件，連結 7 天內有效。", "invite_send": "寄出邀請", "invite_sent": "邀請已寄至",
            "invite_mail_subject": "邀請您加入「{workspace}」", "invite_mail_body": "您好！\n\n{inviter} 邀請您加入「{workspace}」的關係 CRM。請開啟下面的連結設定密碼（7 天內有效）：\n\n{link}\n\n如果您不認識寄件人，忽略這封郵件即可。",
            "forgot_password": "忘記密碼？", "reset_title": "重設密碼", "reset_hint": "填寫您的登入電子郵件，我們會寄一封設定密碼的郵件，連結 1 小時內有效。",
            "reset_send": "寄出連結", "reset_sent": "如果這個電子郵件已註冊，設定密碼的連結已經寄出，請查收郵件。",
            "reset_mail_subject": "設定您的關係 CRM 密碼", "reset_mail_body": "您好！\n\n有人（希望是您）要求重設密碼。請開啟下面的連結設定新密碼（1 小時內有效）：\n\n{link}\n\n如果不是您本人操作，忽略這封郵件即可，密碼不會改變。",
            "set_password_title": "設定密碼", "new_password": "新密碼（至少 8 個字元）", "set_password": "儲存密碼", "password_set": "密碼已設定，現在可以登入了。",
            "field_token": "連結",
        ],
        .en: [
            "pool_hint": "The public pool holds customers nobody owns for now. Claim one and it is yours; customers nobody follows up return here by the pool rules.",
            "pool_claim": "Claim", "pool_release": "Release to pool", "pool_empty": "No customers in the pool match.",
            "handover": "Hand over", "handover_title": "Hand over: {name}", "handover_hint": "Moves this member's customers, leads, deals, quotes and orders in play and open tasks to a successor at once; every record's timeline notes the handover.",
            "handover_to": "Successor", "handover_preview": "Will move", "handover_deactivate": "Deactivate this member afterwards", "handover_run": "Hand over now",
            "handover_done": "Handed over:", "handover_nothing": "This member owns nothing to hand over.", "to_user_ids": "Successor",
            "invite": "Invite a member", "invite_hint": "They get an email with a link to set their password, valid for 7 days.", "invite_send": "Send invitation", "invite_sent": "Invitation sent to",
            "invite_mail_subject": "You are invited to {workspace}", "invite_mail_body": "Hello,\n\n{inviter} invites you to {workspace} on Guanxi CRM. Open this link to set your password (valid for 7 days):\n\n{link}\n\nIf you do not know the sender, ignore this email.",
            "forgot_password": "Forgot your password?", "reset_title": "Reset your password", "reset_hint": "Enter the email you sign in with and we will send a link to set a new password, valid for an hour.",
            "reset_send": "Send link", "reset_sent": "If this email is registered, a link to set a password is on its way. Please check your inbox.",
            "reset_mail_subject": "Set your Guanxi CRM password", "reset_mail_body": "Hello,\n\nSomeone (hopefully you) asked to reset your password. Open this link to set a new one (valid for an hour):\n\n{link}\n\nIf it was not you, ignore this email; your password stays as it is.",
            "set_password_title": "Set your password", "new_password": "New password (at least 8 characters)", "set_password": "Save password", "password_set": "Your password is set. You can sign in now.",
            "field_token": "Link",
        ],
    ]

    static let translations: [MessageTranslation] = [
        ("this customer already has an owner", "这位客户已经有负责人了，不能再领取", "這位客戶已經有負責人了，無法再領取"),
        ("you already own this customer", "这位客户已经归你负责", "這位客戶已經由你負責"),
        ("you already own {0} customers, the most your role may hold ({1}); release some first",
         "你已负责 {0} 位客户，达到你的角色上限（{1}）；请先退回一些", "你已負責 {0} 位客戶，達到你的角色上限（{1}）；請先退回一些"),
        ("this customer is already in the public pool", "这位客户已经在公海里了", "這位客戶已經在公海裡了"),
        ("you may not release another user's customer", "你不能退回别人负责的客户", "你不能退回別人負責的客戶"),
        ("only users can claim customers", "只有用户可以领取客户", "只有使用者可以領取客戶"),
        ("is already a member of this workspace", "已经是本工作区的成员", "已經是本工作區的成員"),
        ("outgoing mail is not set up; ask the server's administrator to configure it", "尚未设置发信服务器，请联系服务器管理员配置",
         "尚未設定寄信伺服器，請聯絡伺服器管理員設定"),
        ("the email could not be sent; please try again later", "邮件没能发出，请稍后重试", "郵件未能寄出，請稍後重試"),
    ]
}
