/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const remote = $root.remote = (() => {

    /**
     * Namespace remote.
     * @exports remote
     * @namespace
     */
    const remote = {};

    remote.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof remote
         * @namespace
         */
        const v1 = {};

        v1.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @memberof remote.v1
             * @interface IEnvelope
             * @property {remote.v1.IRegister|null} [register] Envelope register
             * @property {remote.v1.IDeregister|null} [deregister] Envelope deregister
             * @property {remote.v1.IRoute|null} [route] Envelope route
             * @property {remote.v1.IResync|null} [resync] Envelope resync
             * @property {remote.v1.IResyncComplete|null} [resyncComplete] Envelope resyncComplete
             */

            /**
             * Constructs a new Envelope.
             * @memberof remote.v1
             * @classdesc Represents an Envelope.
             * @implements IEnvelope
             * @constructor
             * @param {remote.v1.IEnvelope=} [p] Properties to set
             */
            function Envelope(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Envelope register.
             * @member {remote.v1.IRegister|null|undefined} register
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.register = null;

            /**
             * Envelope deregister.
             * @member {remote.v1.IDeregister|null|undefined} deregister
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.deregister = null;

            /**
             * Envelope route.
             * @member {remote.v1.IRoute|null|undefined} route
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.route = null;

            /**
             * Envelope resync.
             * @member {remote.v1.IResync|null|undefined} resync
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.resync = null;

            /**
             * Envelope resyncComplete.
             * @member {remote.v1.IResyncComplete|null|undefined} resyncComplete
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.resyncComplete = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Envelope kind.
             * @member {"register"|"deregister"|"route"|"resync"|"resyncComplete"|undefined} kind
             * @memberof remote.v1.Envelope
             * @instance
             */
            Object.defineProperty(Envelope.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["register", "deregister", "route", "resync", "resyncComplete"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Envelope instance using the specified properties.
             * @function create
             * @memberof remote.v1.Envelope
             * @static
             * @param {remote.v1.IEnvelope=} [properties] Properties to set
             * @returns {remote.v1.Envelope} Envelope instance
             */
            Envelope.create = function create(properties) {
                return new Envelope(properties);
            };

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link remote.v1.Envelope.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.Envelope
             * @static
             * @param {remote.v1.IEnvelope} m Envelope message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.register != null && Object.hasOwnProperty.call(m, "register"))
                    $root.remote.v1.Register.encode(m.register, w.uint32(10).fork(), q + 1).ldelim();
                if (m.deregister != null && Object.hasOwnProperty.call(m, "deregister"))
                    $root.remote.v1.Deregister.encode(m.deregister, w.uint32(18).fork(), q + 1).ldelim();
                if (m.route != null && Object.hasOwnProperty.call(m, "route"))
                    $root.remote.v1.Route.encode(m.route, w.uint32(26).fork(), q + 1).ldelim();
                if (m.resync != null && Object.hasOwnProperty.call(m, "resync"))
                    $root.remote.v1.Resync.encode(m.resync, w.uint32(34).fork(), q + 1).ldelim();
                if (m.resyncComplete != null && Object.hasOwnProperty.call(m, "resyncComplete"))
                    $root.remote.v1.ResyncComplete.encode(m.resyncComplete, w.uint32(42).fork(), q + 1).ldelim();
                return w;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.Envelope} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.remote.v1.Envelope();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.register = $root.remote.v1.Register.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 2: {
                            m.deregister = $root.remote.v1.Deregister.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 3: {
                            m.route = $root.remote.v1.Route.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 4: {
                            m.resync = $root.remote.v1.Resync.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 5: {
                            m.resyncComplete = $root.remote.v1.ResyncComplete.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates an Envelope message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.Envelope
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.Envelope} Envelope
             */
            Envelope.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.Envelope)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.Envelope: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.Envelope();
                if (d.register != null) {
                    if (!$util.isObject(d.register))
                        throw TypeError(".remote.v1.Envelope.register: object expected");
                    m.register = $root.remote.v1.Register.fromObject(d.register, n + 1);
                }
                if (d.deregister != null) {
                    if (!$util.isObject(d.deregister))
                        throw TypeError(".remote.v1.Envelope.deregister: object expected");
                    m.deregister = $root.remote.v1.Deregister.fromObject(d.deregister, n + 1);
                }
                if (d.route != null) {
                    if (!$util.isObject(d.route))
                        throw TypeError(".remote.v1.Envelope.route: object expected");
                    m.route = $root.remote.v1.Route.fromObject(d.route, n + 1);
                }
                if (d.resync != null) {
                    if (!$util.isObject(d.resync))
                        throw TypeError(".remote.v1.Envelope.resync: object expected");
                    m.resync = $root.remote.v1.Resync.fromObject(d.resync, n + 1);
                }
                if (d.resyncComplete != null) {
                    if (!$util.isObject(d.resyncComplete))
                        throw TypeError(".remote.v1.Envelope.resyncComplete: object expected");
                    m.resyncComplete = $root.remote.v1.ResyncComplete.fromObject(d.resyncComplete, n + 1);
                }
                return m;
            };

            /**
             * Creates a plain object from an Envelope message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.Envelope
             * @static
             * @param {remote.v1.Envelope} m Envelope
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Envelope.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (m.register != null && Object.hasOwnProperty.call(m, "register")) {
                    d.register = $root.remote.v1.Register.toObject(m.register, o, q + 1);
                    if (o.oneofs)
                        d.kind = "register";
                }
                if (m.deregister != null && Object.hasOwnProperty.call(m, "deregister")) {
                    d.deregister = $root.remote.v1.Deregister.toObject(m.deregister, o, q + 1);
                    if (o.oneofs)
                        d.kind = "deregister";
                }
                if (m.route != null && Object.hasOwnProperty.call(m, "route")) {
                    d.route = $root.remote.v1.Route.toObject(m.route, o, q + 1);
                    if (o.oneofs)
                        d.kind = "route";
                }
                if (m.resync != null && Object.hasOwnProperty.call(m, "resync")) {
                    d.resync = $root.remote.v1.Resync.toObject(m.resync, o, q + 1);
                    if (o.oneofs)
                        d.kind = "resync";
                }
                if (m.resyncComplete != null && Object.hasOwnProperty.call(m, "resyncComplete")) {
                    d.resyncComplete = $root.remote.v1.ResyncComplete.toObject(m.resyncComplete, o, q + 1);
                    if (o.oneofs)
                        d.kind = "resyncComplete";
                }
                return d;
            };

            /**
             * Converts this Envelope to JSON.
             * @function toJSON
             * @memberof remote.v1.Envelope
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Envelope.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Envelope
             * @function getTypeUrl
             * @memberof remote.v1.Envelope
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Envelope.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.Envelope";
            };

            return Envelope;
        })();

        v1.Register = (function() {

            /**
             * Properties of a Register.
             * @memberof remote.v1
             * @interface IRegister
             * @property {string|null} [network] Register network
             * @property {string|null} [srv6Endpoint] Register srv6Endpoint
             */

            /**
             * Constructs a new Register.
             * @memberof remote.v1
             * @classdesc Represents a Register.
             * @implements IRegister
             * @constructor
             * @param {remote.v1.IRegister=} [p] Properties to set
             */
            function Register(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Register network.
             * @member {string} network
             * @memberof remote.v1.Register
             * @instance
             */
            Register.prototype.network = "";

            /**
             * Register srv6Endpoint.
             * @member {string} srv6Endpoint
             * @memberof remote.v1.Register
             * @instance
             */
            Register.prototype.srv6Endpoint = "";

            /**
             * Creates a new Register instance using the specified properties.
             * @function create
             * @memberof remote.v1.Register
             * @static
             * @param {remote.v1.IRegister=} [properties] Properties to set
             * @returns {remote.v1.Register} Register instance
             */
            Register.create = function create(properties) {
                return new Register(properties);
            };

            /**
             * Encodes the specified Register message. Does not implicitly {@link remote.v1.Register.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.Register
             * @static
             * @param {remote.v1.IRegister} m Register message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Register.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.network != null && Object.hasOwnProperty.call(m, "network"))
                    w.uint32(10).string(m.network);
                if (m.srv6Endpoint != null && Object.hasOwnProperty.call(m, "srv6Endpoint"))
                    w.uint32(18).string(m.srv6Endpoint);
                return w;
            };

            /**
             * Decodes a Register message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.Register
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.Register} Register
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Register.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.remote.v1.Register();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.network = r.string();
                            break;
                        }
                    case 2: {
                            m.srv6Endpoint = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a Register message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.Register
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.Register} Register
             */
            Register.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.Register)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.Register: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.Register();
                if (d.network != null) {
                    m.network = String(d.network);
                }
                if (d.srv6Endpoint != null) {
                    m.srv6Endpoint = String(d.srv6Endpoint);
                }
                return m;
            };

            /**
             * Creates a plain object from a Register message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.Register
             * @static
             * @param {remote.v1.Register} m Register
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Register.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.network = "";
                    d.srv6Endpoint = "";
                }
                if (m.network != null && Object.hasOwnProperty.call(m, "network")) {
                    d.network = m.network;
                }
                if (m.srv6Endpoint != null && Object.hasOwnProperty.call(m, "srv6Endpoint")) {
                    d.srv6Endpoint = m.srv6Endpoint;
                }
                return d;
            };

            /**
             * Converts this Register to JSON.
             * @function toJSON
             * @memberof remote.v1.Register
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Register.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Register
             * @function getTypeUrl
             * @memberof remote.v1.Register
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Register.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.Register";
            };

            return Register;
        })();

        v1.Deregister = (function() {

            /**
             * Properties of a Deregister.
             * @memberof remote.v1
             * @interface IDeregister
             * @property {string|null} [network] Deregister network
             * @property {string|null} [srv6Endpoint] Deregister srv6Endpoint
             */

            /**
             * Constructs a new Deregister.
             * @memberof remote.v1
             * @classdesc Represents a Deregister.
             * @implements IDeregister
             * @constructor
             * @param {remote.v1.IDeregister=} [p] Properties to set
             */
            function Deregister(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Deregister network.
             * @member {string} network
             * @memberof remote.v1.Deregister
             * @instance
             */
            Deregister.prototype.network = "";

            /**
             * Deregister srv6Endpoint.
             * @member {string} srv6Endpoint
             * @memberof remote.v1.Deregister
             * @instance
             */
            Deregister.prototype.srv6Endpoint = "";

            /**
             * Creates a new Deregister instance using the specified properties.
             * @function create
             * @memberof remote.v1.Deregister
             * @static
             * @param {remote.v1.IDeregister=} [properties] Properties to set
             * @returns {remote.v1.Deregister} Deregister instance
             */
            Deregister.create = function create(properties) {
                return new Deregister(properties);
            };

            /**
             * Encodes the specified Deregister message. Does not implicitly {@link remote.v1.Deregister.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.Deregister
             * @static
             * @param {remote.v1.IDeregister} m Deregister message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Deregister.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.network != null && Object.hasOwnProperty.call(m, "network"))
                    w.uint32(10).string(m.network);
                if (m.srv6Endpoint != null && Object.hasOwnProperty.call(m, "srv6Endpoint"))
                    w.uint32(18).string(m.srv6Endpoint);
                return w;
            };

            /**
             * Decodes a Deregister message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.Deregister
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.Deregister} Deregister
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Deregister.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.remote.v1.Deregister();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.network = r.string();
                            break;
                        }
                    case 2: {
                            m.srv6Endpoint = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a Deregister message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.Deregister
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.Deregister} Deregister
             */
            Deregister.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.Deregister)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.Deregister: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.Deregister();
                if (d.network != null) {
                    m.network = String(d.network);
                }
                if (d.srv6Endpoint != null) {
                    m.srv6Endpoint = String(d.srv6Endpoint);
                }
                return m;
            };

            /**
             * Creates a plain object from a Deregister message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.Deregister
             * @static
             * @param {remote.v1.Deregister} m Deregister
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Deregister.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.network = "";
                    d.srv6Endpoint = "";
                }
                if (m.network != null && Object.hasOwnProperty.call(m, "network")) {
                    d.network = m.network;
                }
                if (m.srv6Endpoint != null && Object.hasOwnProperty.call(m, "srv6Endpoint")) {
                    d.srv6Endpoint = m.srv6Endpoint;
                }
                return d;
            };

            /**
             * Converts this Deregister to JSON.
             * @function toJSON
             * @memberof remote.v1.Deregister
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Deregister.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Deregister
             * @function getTypeUrl
             * @memberof remote.v1.Deregister
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Deregister.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.Deregister";
            };

            return Deregister;
        })();

        v1.Route = (function() {

            /**
             * Properties of a Route.
             * @memberof remote.v1
             * @interface IRoute
             * @property {string|null} [network] Route network
             * @property {string|null} [srv6Endpoint] Route srv6Endpoint
             * @property {Array.<string>|null} [srv6Segments] Route srv6Segments
             * @property {remote.v1.Route.Status|null} [status] Route status
             */

            /**
             * Constructs a new Route.
             * @memberof remote.v1
             * @classdesc Represents a Route.
             * @implements IRoute
             * @constructor
             * @param {remote.v1.IRoute=} [p] Properties to set
             */
            function Route(p) {
                this.srv6Segments = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Route network.
             * @member {string} network
             * @memberof remote.v1.Route
             * @instance
             */
            Route.prototype.network = "";

            /**
             * Route srv6Endpoint.
             * @member {string} srv6Endpoint
             * @memberof remote.v1.Route
             * @instance
             */
            Route.prototype.srv6Endpoint = "";

            /**
             * Route srv6Segments.
             * @member {Array.<string>} srv6Segments
             * @memberof remote.v1.Route
             * @instance
             */
            Route.prototype.srv6Segments = $util.emptyArray;

            /**
             * Route status.
             * @member {remote.v1.Route.Status} status
             * @memberof remote.v1.Route
             * @instance
             */
            Route.prototype.status = 0;

            /**
             * Creates a new Route instance using the specified properties.
             * @function create
             * @memberof remote.v1.Route
             * @static
             * @param {remote.v1.IRoute=} [properties] Properties to set
             * @returns {remote.v1.Route} Route instance
             */
            Route.create = function create(properties) {
                return new Route(properties);
            };

            /**
             * Encodes the specified Route message. Does not implicitly {@link remote.v1.Route.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.Route
             * @static
             * @param {remote.v1.IRoute} m Route message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Route.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.network != null && Object.hasOwnProperty.call(m, "network"))
                    w.uint32(10).string(m.network);
                if (m.srv6Endpoint != null && Object.hasOwnProperty.call(m, "srv6Endpoint"))
                    w.uint32(18).string(m.srv6Endpoint);
                if (m.srv6Segments != null && m.srv6Segments.length) {
                    for (var i = 0; i < m.srv6Segments.length; ++i)
                        w.uint32(26).string(m.srv6Segments[i]);
                }
                if (m.status != null && Object.hasOwnProperty.call(m, "status"))
                    w.uint32(32).int32(m.status);
                return w;
            };

            /**
             * Decodes a Route message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.Route
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.Route} Route
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Route.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.remote.v1.Route();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.network = r.string();
                            break;
                        }
                    case 2: {
                            m.srv6Endpoint = r.string();
                            break;
                        }
                    case 3: {
                            if (!(m.srv6Segments && m.srv6Segments.length))
                                m.srv6Segments = [];
                            m.srv6Segments.push(r.string());
                            break;
                        }
                    case 4: {
                            m.status = r.int32();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a Route message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.Route
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.Route} Route
             */
            Route.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.Route)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.Route: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.Route();
                if (d.network != null) {
                    m.network = String(d.network);
                }
                if (d.srv6Endpoint != null) {
                    m.srv6Endpoint = String(d.srv6Endpoint);
                }
                if (d.srv6Segments) {
                    if (!Array.isArray(d.srv6Segments))
                        throw TypeError(".remote.v1.Route.srv6Segments: array expected");
                    m.srv6Segments = [];
                    for (var i = 0; i < d.srv6Segments.length; ++i) {
                        m.srv6Segments[i] = String(d.srv6Segments[i]);
                    }
                }
                switch (d.status) {
                default:
                    if (typeof d.status === "number") {
                        m.status = d.status;
                        break;
                    }
                    break;
                case "ADD":
                case 0:
                    m.status = 0;
                    break;
                case "DELETE":
                case 1:
                    m.status = 1;
                    break;
                }
                return m;
            };

            /**
             * Creates a plain object from a Route message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.Route
             * @static
             * @param {remote.v1.Route} m Route
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Route.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.srv6Segments = [];
                }
                if (o.defaults) {
                    d.network = "";
                    d.srv6Endpoint = "";
                    d.status = o.enums === String ? "ADD" : 0;
                }
                if (m.network != null && Object.hasOwnProperty.call(m, "network")) {
                    d.network = m.network;
                }
                if (m.srv6Endpoint != null && Object.hasOwnProperty.call(m, "srv6Endpoint")) {
                    d.srv6Endpoint = m.srv6Endpoint;
                }
                if (m.srv6Segments && m.srv6Segments.length) {
                    d.srv6Segments = [];
                    for (var j = 0; j < m.srv6Segments.length; ++j) {
                        d.srv6Segments[j] = m.srv6Segments[j];
                    }
                }
                if (m.status != null && Object.hasOwnProperty.call(m, "status")) {
                    d.status = o.enums === String ? $root.remote.v1.Route.Status[m.status] === undefined ? m.status : $root.remote.v1.Route.Status[m.status] : m.status;
                }
                return d;
            };

            /**
             * Converts this Route to JSON.
             * @function toJSON
             * @memberof remote.v1.Route
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Route.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Route
             * @function getTypeUrl
             * @memberof remote.v1.Route
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Route.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.Route";
            };

            /**
             * Status enum.
             * @name remote.v1.Route.Status
             * @enum {number}
             * @property {number} ADD=0 ADD value
             * @property {number} DELETE=1 DELETE value
             */
            Route.Status = (function() {
                const valuesById = {}, values = Object.create(valuesById);
                values[valuesById[0] = "ADD"] = 0;
                values[valuesById[1] = "DELETE"] = 1;
                return values;
            })();

            return Route;
        })();

        v1.Resync = (function() {

            /**
             * Properties of a Resync.
             * @memberof remote.v1
             * @interface IResync
             * @property {string|null} [requestId] Resync requestId
             */

            /**
             * Constructs a new Resync.
             * @memberof remote.v1
             * @classdesc Represents a Resync.
             * @implements IResync
             * @constructor
             * @param {remote.v1.IResync=} [p] Properties to set
             */
            function Resync(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Resync requestId.
             * @member {string} requestId
             * @memberof remote.v1.Resync
             * @instance
             */
            Resync.prototype.requestId = "";

            /**
             * Creates a new Resync instance using the specified properties.
             * @function create
             * @memberof remote.v1.Resync
             * @static
             * @param {remote.v1.IResync=} [properties] Properties to set
             * @returns {remote.v1.Resync} Resync instance
             */
            Resync.create = function create(properties) {
                return new Resync(properties);
            };

            /**
             * Encodes the specified Resync message. Does not implicitly {@link remote.v1.Resync.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.Resync
             * @static
             * @param {remote.v1.IResync} m Resync message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Resync.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId"))
                    w.uint32(10).string(m.requestId);
                return w;
            };

            /**
             * Decodes a Resync message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.Resync
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.Resync} Resync
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Resync.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.remote.v1.Resync();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.requestId = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a Resync message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.Resync
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.Resync} Resync
             */
            Resync.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.Resync)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.Resync: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.Resync();
                if (d.requestId != null) {
                    m.requestId = String(d.requestId);
                }
                return m;
            };

            /**
             * Creates a plain object from a Resync message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.Resync
             * @static
             * @param {remote.v1.Resync} m Resync
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Resync.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.requestId = "";
                }
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId")) {
                    d.requestId = m.requestId;
                }
                return d;
            };

            /**
             * Converts this Resync to JSON.
             * @function toJSON
             * @memberof remote.v1.Resync
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Resync.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Resync
             * @function getTypeUrl
             * @memberof remote.v1.Resync
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Resync.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.Resync";
            };

            return Resync;
        })();

        v1.ResyncComplete = (function() {

            /**
             * Properties of a ResyncComplete.
             * @memberof remote.v1
             * @interface IResyncComplete
             * @property {string|null} [requestId] ResyncComplete requestId
             * @property {number|null} [routes] ResyncComplete routes
             */

            /**
             * Constructs a new ResyncComplete.
             * @memberof remote.v1
             * @classdesc Represents a ResyncComplete.
             * @implements IResyncComplete
             * @constructor
             * @param {remote.v1.IResyncComplete=} [p] Properties to set
             */
            function ResyncComplete(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * ResyncComplete requestId.
             * @member {string} requestId
             * @memberof remote.v1.ResyncComplete
             * @instance
             */
            ResyncComplete.prototype.requestId = "";

            /**
             * ResyncComplete routes.
             * @member {number} routes
             * @memberof remote.v1.ResyncComplete
             * @instance
             */
            ResyncComplete.prototype.routes = 0;

            /**
             * Creates a new ResyncComplete instance using the specified properties.
             * @function create
             * @memberof remote.v1.ResyncComplete
             * @static
             * @param {remote.v1.IResyncComplete=} [properties] Properties to set
             * @returns {remote.v1.ResyncComplete} ResyncComplete instance
             */
            ResyncComplete.create = function create(properties) {
                return new ResyncComplete(properties);
            };

            /**
             * Encodes the specified ResyncComplete message. Does not implicitly {@link remote.v1.ResyncComplete.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.ResyncComplete
             * @static
             * @param {remote.v1.IResyncComplete} m ResyncComplete message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ResyncComplete.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId"))
                    w.uint32(10).string(m.requestId);
                if (m.routes != null && Object.hasOwnProperty.call(m, "routes"))
                    w.uint32(16).uint32(m.routes);
                return w;
            };

            /**
             * Decodes a ResyncComplete message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.ResyncComplete
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.ResyncComplete} ResyncComplete
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ResyncComplete.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.remote.v1.ResyncComplete();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.requestId = r.string();
                            break;
                        }
                    case 2: {
                            m.routes = r.uint32();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a ResyncComplete message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.ResyncComplete
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.ResyncComplete} ResyncComplete
             */
            ResyncComplete.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.ResyncComplete)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.ResyncComplete: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.ResyncComplete();
                if (d.requestId != null) {
                    m.requestId = String(d.requestId);
                }
                if (d.routes != null) {
                    m.routes = d.routes >>> 0;
                }
                return m;
            };

            /**
             * Creates a plain object from a ResyncComplete message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.ResyncComplete
             * @static
             * @param {remote.v1.ResyncComplete} m ResyncComplete
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ResyncComplete.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.requestId = "";
                    d.routes = 0;
                }
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId")) {
                    d.requestId = m.requestId;
                }
                if (m.routes != null && Object.hasOwnProperty.call(m, "routes")) {
                    d.routes = m.routes;
                }
                return d;
            };

            /**
             * Converts this ResyncComplete to JSON.
             * @function toJSON
             * @memberof remote.v1.ResyncComplete
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ResyncComplete.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for ResyncComplete
             * @function getTypeUrl
             * @memberof remote.v1.ResyncComplete
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ResyncComplete.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.ResyncComplete";
            };

            return ResyncComplete;
        })();

        return v1;
    })();

    return remote;
})();

export { $root as default };
