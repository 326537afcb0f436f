"""Drives the page of `minusma web` in headless Chromium through the DevTools protocol, with the
standard library only (a minimal WebSocket client), as a reader would: Tab to the slider, press
the arrow keys, switch the language, press Play. Prints one JSON object of what it saw.

    python3 drive_page.py PAGE.html PROFILE_DIR
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request


class DevTools:
    """One WebSocket to a page target: send a command, wait for its answer."""

    def __init__(self, url):
        host, rest = url[len("ws://"):].split("/", 1)
        name, port = host.split(":")
        self.sock = socket.create_connection((name, int(port)), timeout=20)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(1)
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise RuntimeError("WebSocket handshake refused: " + response.decode(errors="replace"))
        self.next_id = 0

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            data += chunk
        return data

    def _frame(self):
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            message += self._read(length)
            if first & 0x80:
                return message

    def call(self, method, **params):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            answer = json.loads(self._frame())
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def key(self, key, code, keycode):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=keycode, nativeVirtualKeyCode=keycode)


def main():
    page, profile = sys.argv[1], sys.argv[2]
    chromium = subprocess.Popen(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
         "--no-first-run", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--remote-debugging-port=0", "--window-size=1200,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        targets = json.load(direct.open(f"http://127.0.0.1:{port}/json/list"))
        tools = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Page.navigate", url="file://" + os.path.abspath(page) + "#2023-10-20")
        for _ in range(100):
            if tools.evaluate("document.readyState") == "complete":
                break
            time.sleep(0.1)
        seen = {"start": tools.evaluate("location.hash")}
        # Tab from the page's start until the slider has the focus, then one day on.
        for _ in range(10):
            if tools.evaluate("document.activeElement && document.activeElement.id") == "day":
                break
            tools.key("Tab", "Tab", 9)
        seen["sliderFocused"] = tools.evaluate("document.activeElement.id") == "day"
        tools.key("ArrowRight", "ArrowRight", 39)
        seen["afterArrow"] = tools.evaluate("location.hash")
        seen["labelAfterArrow"] = tools.evaluate("document.getElementById('date-label').textContent")
        # Tab on to the first marker and open it with Enter.
        for _ in range(10):
            if tools.evaluate("document.activeElement.getAttribute('data-site-id')"):
                break
            tools.key("Tab", "Tab", 9)
        seen["focusedSite"] = tools.evaluate("document.activeElement.getAttribute('data-site-id')")
        tools.key("Enter", "Enter", 13)
        seen["popupOpen"] = tools.evaluate("!!document.querySelector('.leaflet-popup .popup h2')")
        tools.evaluate("document.querySelector('button[data-lang=fr]').click()")
        seen["french"] = tools.evaluate(
            "({lang: document.documentElement.lang, title: document.title,"
            " texts: Array.from(document.querySelectorAll('[data-text]')).map(e => e.textContent),"
            " label: document.getElementById('date-label').textContent,"
            " counter: document.getElementById('open-count').textContent,"
            " popup: (document.querySelector('.leaflet-popup .popup dt') || {}).textContent || null,"
            " zoom: document.querySelector('.leaflet-control-zoom-in').title,"
            " slider: document.getElementById('day').getAttribute('aria-label')})")
        tools.evaluate("document.getElementById('play').click()")
        time.sleep(1.5)
        seen["playing"] = tools.evaluate("document.getElementById('play').textContent")
        seen["afterPlay"] = tools.evaluate("location.hash")
        state = tools.evaluate("document.getElementById('page-state').textContent")
        seen["errors"] = json.loads(state)["errors"] if state else ["no state"]
        print(json.dumps(seen))
    finally:
        chromium.terminate()
        chromium.wait(timeout=20)


if __name__ == "__main__":
    main()
