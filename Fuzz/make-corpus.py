#!/usr/bin/env python3
"""Writes the seed corpus of scripts/fuzz into Fuzz/corpus/<target>/ from the tests' fixtures.

Gateway seeds are real webhook shapes of every provider, signed with the secrets that
Fuzz/Sources/FuzzGateways.swift configures, so the fuzzer starts from requests that pass
verification. Run it again after changing those secrets or the input formats.
"""
import base64, hashlib, hmac, os, shutil, sys, urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "corpus")
BASE = "https://bridge.example.org"
NOW = 1_741_944_413

ALBANIAN = "Përshëndetje! Kanalizimi është i bllokuar te rruga e Çarshisë, ç'është kjo?"
SERBIAN = "Здраво! Улица је поплављена код школе, шта да радимо?"
ARABIC = "مرحبا، الشارع مغلق بسبب النفايات قرب المدرسة"
GSM = "Hello, the street light at Rr. UCK 12 is broken"
TEXTS = [ALBANIAN, SERBIAN, ARABIC, GSM]

# Adapter indices and routes of FuzzGateways.swift.
TWILIO, TWILIO_SHARED, AT, VONAGE_MD5, VONAGE_SHA256, VONAGE_TOKEN, INFOBIP_BASIC, INFOBIP_TOKEN, KANNEL, GENERIC, GENERIC_BARE = range(11)
SMS, USSD, STATUS = 0, 1, 2


def form(pairs):
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote_plus)


def request(adapter, route, method, path, query="", headers=(), body=b""):
    head = "\n".join([method, path, query] + [f"{n}: {v}" for n, v in headers]) + "\n\n"
    return bytes([adapter, route]) + head.encode() + (body if isinstance(body, bytes) else body.encode())


def twilio(pairs, path="/gateways/gw1/sms", route=SMS, query=""):
    url = BASE + path + ("?" + query if query else "")
    message = url + "".join(n + v for n, v in sorted(pairs))
    sig = base64.b64encode(hmac.new(b"12345", message.encode(), hashlib.sha1).digest()).decode()
    return request(TWILIO, route, "POST", path, query,
                   [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", sig)], form(pairs))


def twilio_inbound(body, sender="+38344123456"):
    return [("ToCountry", "GB"), ("SmsMessageSid", "SM9d1f"), ("NumMedia", "0"), ("SmsSid", "SM9d1f"), ("SmsStatus", "received"),
            ("Body", body), ("FromCountry", "XK"), ("To", "+447700900123"), ("NumSegments", "1"), ("MessageSid", "SM9d1f"),
            ("AccountSid", "AC3b7e"), ("From", sender), ("ApiVersion", "2010-04-01")]


def vonage(pairs, adapter=VONAGE_MD5, route=SMS, method="GET"):
    pairs = list(pairs) + [("timestamp", str(NOW)), ("nonce", "a1b2")]
    latest = dict(pairs)
    signed = "".join("&" + n + "=" + latest[n].replace("&", "_").replace("=", "_") for n in sorted(latest))
    if adapter == VONAGE_SHA256:
        sig = hmac.new(b"sigsecret", signed.encode(), hashlib.sha256).hexdigest()
    else:
        sig = hashlib.md5((signed + "sigsecret").encode()).hexdigest()
    pairs.append(("sig", sig))
    if method == "GET":
        return request(adapter, route, "GET", "/gateways/gw1/sms", form(pairs))
    return request(adapter, route, "POST", "/gateways/gw1/sms", "", [("Content-Type", "application/x-www-form-urlencoded")], form(pairs))


def generic(body, route=SMS):
    sig = "v1=" + hmac.new(b"gensecret", (str(NOW) + ".").encode() + body.encode(), hashlib.sha256).hexdigest()
    return request(GENERIC, route, "POST", "/gateways/gw1/" + ["sms", "ussd", "status"][route], "",
                   [("Content-Type", "application/json"), ("X-Bridge-Timestamp", str(NOW)), ("X-Bridge-Signature", sig)], body)


def infobip(body, route=SMS):
    auth = "Basic " + base64.b64encode(b"user:pass").decode()
    return request(INFOBIP_BASIC, route, "POST", "/gateways/gw1/sms", "", [("Content-Type", "application/json"), ("Authorization", auth)], body)


def gateways():
    seeds = {}
    for i, text in enumerate(TEXTS):
        seeds[f"twilio-{i}"] = twilio(twilio_inbound(text))
    seeds["twilio-query"] = twilio(twilio_inbound("Test"), query="a=1&b=%C3%AB")
    seeds["twilio-whatsapp"] = twilio(twilio_inbound("hi", sender="whatsapp:+38344123456"))
    seeds["twilio-status"] = twilio([("MessageSid", "SM1"), ("MessageStatus", "undelivered"), ("ErrorCode", "30001"), ("uuid", "m1")],
                                    path="/gateways/gw1/status", route=STATUS)
    # A Webhook Rule: HMAC-SHA256 with the shared key, form body; and a JSON body signed through bodySHA256.
    url = BASE + "/gateways/gw1/sms"
    pairs = twilio_inbound(GSM)
    sig = base64.b64encode(hmac.new(b"shared", (url + "".join(n + v for n, v in sorted(pairs))).encode(), hashlib.sha256).digest()).decode()
    rule = [("X-Twilio-Webhooks-Signature-Settings", "algorithm=HMAC_SHA256"), ("X-Twilio-Signature", sig)]
    seeds["twilio-rule"] = request(TWILIO_SHARED, SMS, "POST", "/gateways/gw1/sms", "",
                                   [("Content-Type", "application/x-www-form-urlencoded")] + rule, form(pairs))
    body = '{"MessageSid":"SM77","From":"+38344123456","To":"+447700900123","Body":"%s"}' % ALBANIAN
    query = "bodySHA256=" + hashlib.sha256(body.encode()).hexdigest()
    sig = base64.b64encode(hmac.new(b"shared", (url + "?" + query).encode(), hashlib.sha256).digest()).decode()
    rule = [("X-Twilio-Webhooks-Signature-Settings", "algorithm=HMAC_SHA256"), ("X-Twilio-Signature", sig)]
    seeds["twilio-rule-json"] = request(TWILIO_SHARED, SMS, "POST", "/gateways/gw1/sms", query, [("Content-Type", "application/json")] + rule, body)
    seeds["twilio-send-answer"] = request(TWILIO, 100, "POST", "", "", [("Content-Type", "application/json")],
                                          '{"sid":"SM123","status":"queued","error_code":null,"code":21610,"message":"unsubscribed"}')
    for i, text in enumerate(TEXTS):
        seeds[f"at-sms-{i}"] = request(AT, SMS, "POST", "/gateways/gw1/sms/t0ken", "", [("Content-Type", "application/x-www-form-urlencoded")],
                                       form([("from", "+212612345678"), ("to", "12345"), ("text", text), ("id", "ATXid_1"),
                                             ("date", "2025-03-14 09:26:53"), ("linkId", "L1"), ("networkCode", "60401")]))
    for text in ["", "1", "1*2", "1*2*Rruga e Çarshisë", "1*99*0*2*حديقة"]:
        seeds[f"at-ussd-{len(text)}"] = request(AT, USSD, "POST", "/gateways/gw1/ussd", "token=t0ken",
                                                [("Content-Type", "application/x-www-form-urlencoded")],
                                                form([("sessionId", "ATUid_1"), ("serviceCode", "*384*1#"), ("phoneNumber", "+212612345678"),
                                                      ("text", text), ("networkCode", "60401")]))
    seeds["at-ussd-end"] = request(AT, USSD, "POST", "/gateways/gw1/ussd/t0ken", "", [("Content-Type", "application/x-www-form-urlencoded")],
                                   form([("sessionId", "ATUid_1"), ("serviceCode", "*384*1#"), ("phoneNumber", "+212612345678"), ("status", "Success"),
                                         ("input", "2"), ("lastAppResponse", "END Merci"), ("durationInMillis", "12000")]))
    seeds["at-status"] = request(AT, STATUS, "POST", "/gateways/gw1/status/t0ken", "", [("Content-Type", "application/x-www-form-urlencoded")],
                                 form([("id", "ATXid_1"), ("status", "Failed"), ("phoneNumber", "+212612345678"), ("failureReason", "UserInBlackList")]))
    seeds["at-send-answer"] = request(AT, 101, "POST", "", "", [("Content-Type", "application/json")],
                                      '{"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[{"statusCode":101,"number":"+38344123456","status":"Success","cost":"KES 0.8000","messageId":"ATXid_1"}]}}')
    for i, text in enumerate(TEXTS):
        seeds[f"vonage-{i}"] = vonage([("api-key", "k"), ("msisdn", "38344123456"), ("to", "447700900123"), ("messageId", "0A000001"),
                                       ("text", text), ("type", "unicode"), ("keyword", "X"), ("message-timestamp", "2025-03-14 09:26:53")])
    seeds["vonage-concat"] = vonage([("msisdn", "38344123456"), ("to", "447700900123"), ("messageId", "0A000002"), ("text", "part one "),
                                     ("type", "text"), ("concat", "true"), ("concat-ref", "12"), ("concat-total", "2"), ("concat-part", "1")],
                                    adapter=VONAGE_SHA256, method="POST")
    seeds["vonage-status"] = vonage([("msisdn", "38344123456"), ("to", "447700900123"), ("messageId", "0A000003"), ("status", "failed"),
                                     ("err-code", "6"), ("client-ref", "m1")], route=STATUS)
    seeds["vonage-json"] = request(VONAGE_TOKEN, SMS, "POST", "/gateways/gw1/sms", "token=t0ken", [("Content-Type", "application/json")],
                                   '{"msisdn":"38344123456","to":"447700900123","messageId":"0A4","text":"' + GSM + '","type":"text","concat":"true","concat-ref":"9","concat-total":"3","concat-part":"3"}')
    seeds["vonage-send-answer"] = request(VONAGE_MD5, 100, "POST", "", "", [("Content-Type", "application/json")],
                                          '{"message-count":"1","messages":[{"to":"38344123456","message-id":"0A1","status":"0","remaining-balance":"3.1","message-price":"0.03","network":"22101"}]}')
    result = '{"messageId":"%s","from":"%s","to":"38345000111","text":"%s","cleanText":"%s","keyword":"","receivedAt":"2025-03-14T09:28:39.220+0000","smsCount":1,"price":{"pricePerMessage":0,"currency":"EUR"},"callbackData":""}'
    seeds["infobip-2"] = infobip('{"results":[%s,%s],"messageCount":2,"pendingMessageCount":0}' % (
        result % ("ib1", "381641234567", SERBIAN, SERBIAN), result % ("ib2", "38344123456", ALBANIAN, ALBANIAN)))
    seeds["infobip-empty"] = infobip('{"results":[],"messageCount":0}')
    seeds["infobip-status"] = infobip('{"results":[{"bulkId":"B1","messageId":"uuid-5","to":"38344123456","sentAt":"2025-03-14T09:28:39.220+0000","doneAt":"2025-03-14T09:28:41.220+0000","smsCount":1,"mccMnc":"22101","callbackData":"uuid-5","price":{"pricePerMessage":0.01,"currency":"EUR"},"status":{"groupId":2,"groupName":"UNDELIVERABLE","id":9,"name":"UNDELIVERABLE_NOT_DELIVERED","description":"d"},"error":{"groupId":1,"groupName":"HANDSET_ERRORS","id":27,"name":"EC_ABSENT_SUBSCRIBER","description":"d","permanent":false}}]}', route=STATUS)
    seeds["infobip-token"] = request(INFOBIP_TOKEN, SMS, "POST", "/gateways/gw1/sms/t0ken", "", [("Content-Type", "application/json; charset=utf-8")],
                                     '{"results":[' + result % ("ib3", "38165123456", "Рупа", "Рупа") + ']}')
    seeds["infobip-send-answer"] = request(INFOBIP_BASIC, 100, "POST", "", "", [("Content-Type", "application/json")],
                                           '{"bulkId":"B1","messages":[{"messageId":"uuid-9","status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED","description":"d"},"destination":"38344123456"}]}')
    for i, text in enumerate(TEXTS):
        seeds[f"kannel-{i}"] = request(KANNEL, SMS, "GET", "/gateways/gw1/sms",
                                       form([("token", "t0ken"), ("from", "+38344123456"), ("to", "1234"), ("text", text), ("coding", "0"),
                                             ("charset", "UTF-8"), ("id", f"k{i}"), ("ts", str(NOW))]))
    ucs2 = urllib.parse.quote_from_bytes(SERBIAN.encode("utf-16-be"))
    seeds["kannel-ucs2"] = request(KANNEL, SMS, "GET", "/gateways/gw1/sms",
                                   "token=t0ken&from=%2B38344123456&to=1234&text=" + ucs2 + "&coding=2&charset=UTF-16BE&time=2025-03-14+09%3A26%3A53")
    seeds["kannel-latin1"] = request(KANNEL, SMS, "GET", "/gateways/gw1/sms",
                                     "token=t0ken&from=%2B38344123456&to=1234&text=" + urllib.parse.quote_from_bytes("Përshëndetje".encode("latin-1")) + "&coding=0&charset=ISO-8859-1")
    seeds["kannel-post"] = request(KANNEL, SMS, "POST", "/gateways/gw1/sms/t0ken", "coding=2",
                                   [("Content-Type", "application/octet-stream; charset=UTF-16BE"), ("X-Kannel-From", "+38344123456"), ("X-Kannel-To", "1234"),
                                    ("X-Kannel-Time", "2025-03-14 09:26:53")], ARABIC.encode("utf-16-be"))
    seeds["kannel-dlr"] = request(KANNEL, STATUS, "GET", "/gateways/gw1/status",
                                  form([("token", "t0ken"), ("m", "uuid-3"), ("status", "16"), ("smsc", "vala"), ("fid", "0427415371"),
                                        ("answer", "NACK/0x00000058/Throttling error"), ("ts", "1741944500")]))
    seeds["kannel-send-answer"] = request(KANNEL, 102, "GET", "", "", [], "0: Accepted for delivery")
    for i, text in enumerate(TEXTS):
        seeds[f"generic-{i}"] = generic('{"id":"g%d","from":"+38344123456","to":"1234","text":"%s","received_at":"2025-03-14T09:00:00Z"}' % (i, text))
    seeds["generic-national"] = generic('{"id":"g9","from":"0612345678","to":"1234","text":"x"}')
    seeds["generic-status"] = generic('{"id":"uuid-5","status":"failed","error":"E1"}', route=STATUS)
    seeds["generic-send-answer"] = request(GENERIC_BARE, 102, "POST", "", "", [("Retry-After", "30")], '{"message_id":"agg-9"}')
    return seeds


ENGINE = [
    (0x00, ["Përshëndetje", "1", "2", "te sheshi skenderbeu", "Drita nuk punon prej dy javësh", "po", "STATUS", "1001"]),
    (0x00, ["Zdravo", "2", "1", "kod autobuske stanice", "Velika rupa na putu, opasno za auta", "da"]),
    (0x10, ["Здраво", "3", "Рупа на путу код аутобуске станице", "да", "СТАТУС"]),
    (0x00, ["2 / Sheshi Skenderbeu / drita nuk punon", "1", "NDALO", "START", "HELP", "GJUHA", "2"]),
    (0x00, ["Ka shume mbeturina te kontejneri", "nuk e di", "hmm", "zzz", "qwerty zxcv", "?!", "RIFILLO", "MBRAPA", "CANCEL"]),
    (0x00, ["Pershendetje", "1", "\x01ka nje grope", "ulpiana", "nuk e di", "ab", "jo"]),
    (0x21, ["kayn zbel bzaf 7da marche central", "wakha"]),
    (0x31, ["5 / Place Mohammed V / odeur d'égout très forte", "oui", "STATUS 1001"]),
    (0x21, ["السلام عليكم", "١", "٤", "الماء كيتسرب من القادوس في الزنقة", "قرب مسجد الحسن الثاني", "نعم"]),
    (0x31, ["Bonjour", "francais", "eclairrage", "Le lampadaire est en panne depuis lundi", "devant la mosquee hasan 2", "OUI"]),
    (0x21, ["salam", "۱", "۲", "la gare", "الأشجار مقطوعة والعشب محروق", "1"]),
    (0x80, ["", "1", "2", "te stacioni i autobuseve", "Drita nuk punon", "1"]),
    (0xA1, ["", "1", "99", "0", "99", "7", "حديقة الجامعة العربية", "الأشجار مقطوعة", "1"]),
    (0xB1, ["", "2", "8", "99", "0", "", "BACK", "1007"]),
]

TEXT = [
    ALBANIAN, SERBIAN, ARABIC, GSM, "Cтоп рomoc", "Pомоћ", "ЉУБАВ Њива ЏЕП Ђак", "Ѐ ѝ Ёж Ї", "Gropë e madhe në rrugë",
    "e\u0308 İSTANBUL Straße", "kayn zbel bzaf 7da marche central", "3la triq l'mdrasa, 9rib mn jame3",
    "قُرْبَ المَسْجِدِ ٢٣ \u200fرقم\u200e ۴۵", "dvadeset tri / njëzet e tre / vingt-trois / تلاتة", "+381 64 123 4567", "00383 44 123 456",
    "STATUS 1001", "nids-de-poule devant l'école", "€[]{}|^~\\ @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ", "👍🏽 rruga 🚧 ka gropë 🕳️",
    "\u202eevil\u202c \u2066isolate\u2069 zero\u200bwidth", "Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ", "ﻻ ﷲ ﷺ", "x" * 300, "ë" * 80, "پچژگ ڤ ڭ",
]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for target in ["gateways", "config", "text", "engine"]:
        os.makedirs(os.path.join(OUT, target))

    def write(target, name, data):
        with open(os.path.join(OUT, target, name), "wb") as f:
            f.write(data)

    for name, data in gateways().items():
        write("gateways", name, data)
    for i, (selector, lines) in enumerate(ENGINE):
        write("engine", f"conversation-{i:02}", bytes([selector]) + "\n".join(lines).encode())
    for i, text in enumerate(TEXT):
        write("text", f"text-{i:02}", text.encode())
    # Config: each shipped file as itself (byte 0 is its index in FuzzConfig.files), plus short broken ones.
    files = ["Config/smsbridge.yaml", "Config/deployments/prishtina.yaml", "Config/deployments/casablanca.yaml", "Dialogs/report.yaml",
             "Config/categories.yaml", "Config/landmarks/prishtina.yaml", "Config/landmarks/casablanca.yaml"]
    for index, path in enumerate(files):
        with open(os.path.join(ROOT, path), "rb") as f:
            data = f.read()
        write("config", f"shipped-{index}", bytes([index]) + data)
        lines = data.split(b"\n")
        write("config", f"head-{index}", bytes([index]) + b"\n".join(lines[: max(8, len(lines) // 8)]))
    write("config", "syntax", bytes([1]) + b"id: prishtina\nname: [unclosed\n  languages: {sq: 1\n")
    write("config", "anchors", bytes([0]) + b"deployments: &d\n  - *d\nserver: {port: 99999999999999999999, retention_days: -1}\n")
    write("config", "latin1", bytes([3]) + "steps:\n  - id: ask\n    text: {sq: Për}\n".encode("latin-1"))
    print("corpus:", {t: len(os.listdir(os.path.join(OUT, t))) for t in os.listdir(OUT)})


main()
