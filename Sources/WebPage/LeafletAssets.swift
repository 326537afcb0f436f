/// Leaflet and the page's own script and style, embedded at build time by the EmbedLeaflet plugin.
enum LeafletAssets {
    /// leaflet.min.js, without its source-map comment (the map is not shipped) and with any
    /// `</script` written so that it cannot end the element it is inlined in.
    static let script: String = {
        var js = EmbeddedFiles.leafletJS
        if let mapComment = js.firstRange(of: "//# sourceMappingURL=") { js = String(js[..<mapComment.lowerBound]) }
        return js.replacing("</script", with: "<\\/script")
    }()

    /// leaflet.css, without its source-map comment.
    static let css: String = {
        let css = EmbeddedFiles.leafletCSS
        return css.firstRange(of: "/*# sourceMappingURL=").map { String(css[..<$0.lowerBound]) } ?? css
    }()
    static var pageJS: String { EmbeddedFiles.pageJS.replacing("</script", with: "<\\/script") }
    static var pageCSS: String { EmbeddedFiles.pageCSS }

    /// Leaflet's version, as its code declares it.
    static let version: String = {
        guard let start = EmbeddedFiles.leafletJS.firstRange(of: ".version=\"") else { return "" }
        let rest = EmbeddedFiles.leafletJS[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) } ?? ""
    }()

    /// Leaflet's notice and licence (BSD-2-Clause), which the minified file leaves out and a
    /// copy must keep.
    static var licenceHeader: String {
        """
        /* @preserve
         * Leaflet \(version), a JS library for interactive maps. https://leafletjs.com
         * (c) 2010-2019 Vladimir Agafonkin, (c) 2010-2011 CloudMade
         * Inlined from Debian's libjs-leaflet (leaflet.min.js).
         *
         * BSD 2-Clause License. All rights reserved.
         * Redistribution and use in source and binary forms, with or without modification, are
         * permitted provided that the following conditions are met:
         * 1. Redistributions of source code must retain the above copyright notice, this list of
         *    conditions and the following disclaimer.
         * 2. Redistributions in binary form must reproduce the above copyright notice, this list
         *    of conditions and the following disclaimer in the documentation and/or other
         *    materials provided with the distribution.
         * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY
         * EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF
         * MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL
         * THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
         * SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO,
         * PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
         * INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT,
         * STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF
         * THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
         */
        """
    }
}
