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
             * @property {remote.v1.ISummary|null} [summary] Envelope summary
             * @property {remote.v1.ISummary|null} [summaryReply] Envelope summaryReply
             * @property {remote.v1.IRegistrationSet|null} [registrationSet] Envelope registrationSet
             * @property {remote.v1.IRouteSet|null} [routeSet] Envelope routeSet
             * @property {remote.v1.ISummaryRequest|null} [summaryRequest] Envelope summaryRequest
             * @property {number|Long|null} [sequence] Envelope sequence
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

            /**
             * Envelope summary.
             * @member {remote.v1.ISummary|null|undefined} summary
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.summary = null;

            /**
             * Envelope summaryReply.
             * @member {remote.v1.ISummary|null|undefined} summaryReply
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.summaryReply = null;

            /**
             * Envelope registrationSet.
             * @member {remote.v1.IRegistrationSet|null|undefined} registrationSet
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.registrationSet = null;

            /**
             * Envelope routeSet.
             * @member {remote.v1.IRouteSet|null|undefined} routeSet
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.routeSet = null;

            /**
             * Envelope summaryRequest.
             * @member {remote.v1.ISummaryRequest|null|undefined} summaryRequest
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.summaryRequest = null;

            /**
             * Envelope sequence.
             * @member {number|Long} sequence
             * @memberof remote.v1.Envelope
             * @instance
             */
            Envelope.prototype.sequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Envelope kind.
             * @member {"register"|"deregister"|"route"|"resync"|"resyncComplete"|"summary"|"summaryReply"|"registrationSet"|"routeSet"|"summaryRequest"|undefined} kind
             * @memberof remote.v1.Envelope
             * @instance
             */
            Object.defineProperty(Envelope.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["register", "deregister", "route", "resync", "resyncComplete", "summary", "summaryReply", "registrationSet", "routeSet", "summaryRequest"]),
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
                if (m.summary != null && Object.hasOwnProperty.call(m, "summary"))
                    $root.remote.v1.Summary.encode(m.summary, w.uint32(50).fork(), q + 1).ldelim();
                if (m.summaryReply != null && Object.hasOwnProperty.call(m, "summaryReply"))
                    $root.remote.v1.Summary.encode(m.summaryReply, w.uint32(58).fork(), q + 1).ldelim();
                if (m.registrationSet != null && Object.hasOwnProperty.call(m, "registrationSet"))
                    $root.remote.v1.RegistrationSet.encode(m.registrationSet, w.uint32(66).fork(), q + 1).ldelim();
                if (m.routeSet != null && Object.hasOwnProperty.call(m, "routeSet"))
                    $root.remote.v1.RouteSet.encode(m.routeSet, w.uint32(74).fork(), q + 1).ldelim();
                if (m.summaryRequest != null && Object.hasOwnProperty.call(m, "summaryRequest"))
                    $root.remote.v1.SummaryRequest.encode(m.summaryRequest, w.uint32(82).fork(), q + 1).ldelim();
                if (m.sequence != null && Object.hasOwnProperty.call(m, "sequence"))
                    w.uint32(88).uint64(m.sequence);
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
                    case 6: {
                            m.summary = $root.remote.v1.Summary.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 7: {
                            m.summaryReply = $root.remote.v1.Summary.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 8: {
                            m.registrationSet = $root.remote.v1.RegistrationSet.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 9: {
                            m.routeSet = $root.remote.v1.RouteSet.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 10: {
                            m.summaryRequest = $root.remote.v1.SummaryRequest.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 11: {
                            m.sequence = r.uint64();
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
                if (d.summary != null) {
                    if (!$util.isObject(d.summary))
                        throw TypeError(".remote.v1.Envelope.summary: object expected");
                    m.summary = $root.remote.v1.Summary.fromObject(d.summary, n + 1);
                }
                if (d.summaryReply != null) {
                    if (!$util.isObject(d.summaryReply))
                        throw TypeError(".remote.v1.Envelope.summaryReply: object expected");
                    m.summaryReply = $root.remote.v1.Summary.fromObject(d.summaryReply, n + 1);
                }
                if (d.registrationSet != null) {
                    if (!$util.isObject(d.registrationSet))
                        throw TypeError(".remote.v1.Envelope.registrationSet: object expected");
                    m.registrationSet = $root.remote.v1.RegistrationSet.fromObject(d.registrationSet, n + 1);
                }
                if (d.routeSet != null) {
                    if (!$util.isObject(d.routeSet))
                        throw TypeError(".remote.v1.Envelope.routeSet: object expected");
                    m.routeSet = $root.remote.v1.RouteSet.fromObject(d.routeSet, n + 1);
                }
                if (d.summaryRequest != null) {
                    if (!$util.isObject(d.summaryRequest))
                        throw TypeError(".remote.v1.Envelope.summaryRequest: object expected");
                    m.summaryRequest = $root.remote.v1.SummaryRequest.fromObject(d.summaryRequest, n + 1);
                }
                if (d.sequence != null) {
                    if ($util.Long)
                        m.sequence = $util.Long.fromValue(d.sequence, true);
                    else if (typeof d.sequence === "string")
                        m.sequence = parseInt(d.sequence, 10);
                    else if (typeof d.sequence === "number")
                        m.sequence = d.sequence;
                    else if (typeof d.sequence === "object")
                        m.sequence = new $util.LongBits(d.sequence.low >>> 0, d.sequence.high >>> 0).toNumber(true);
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
                if (o.defaults) {
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.sequence = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.sequence = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                }
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
                if (m.summary != null && Object.hasOwnProperty.call(m, "summary")) {
                    d.summary = $root.remote.v1.Summary.toObject(m.summary, o, q + 1);
                    if (o.oneofs)
                        d.kind = "summary";
                }
                if (m.summaryReply != null && Object.hasOwnProperty.call(m, "summaryReply")) {
                    d.summaryReply = $root.remote.v1.Summary.toObject(m.summaryReply, o, q + 1);
                    if (o.oneofs)
                        d.kind = "summaryReply";
                }
                if (m.registrationSet != null && Object.hasOwnProperty.call(m, "registrationSet")) {
                    d.registrationSet = $root.remote.v1.RegistrationSet.toObject(m.registrationSet, o, q + 1);
                    if (o.oneofs)
                        d.kind = "registrationSet";
                }
                if (m.routeSet != null && Object.hasOwnProperty.call(m, "routeSet")) {
                    d.routeSet = $root.remote.v1.RouteSet.toObject(m.routeSet, o, q + 1);
                    if (o.oneofs)
                        d.kind = "routeSet";
                }
                if (m.summaryRequest != null && Object.hasOwnProperty.call(m, "summaryRequest")) {
                    d.summaryRequest = $root.remote.v1.SummaryRequest.toObject(m.summaryRequest, o, q + 1);
                    if (o.oneofs)
                        d.kind = "summaryRequest";
                }
                if (m.sequence != null && Object.hasOwnProperty.call(m, "sequence")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.sequence = typeof m.sequence === "number" ? BigInt(m.sequence) : $util.Long.fromBits(m.sequence.low >>> 0, m.sequence.high >>> 0, true).toBigInt();
                    else if (typeof m.sequence === "number")
                        d.sequence = o.longs === String ? String(m.sequence) : m.sequence;
                    else
                        d.sequence = o.longs === String ? $util.Long.prototype.toString.call(m.sequence) : o.longs === Number ? new $util.LongBits(m.sequence.low >>> 0, m.sequence.high >>> 0).toNumber(true) : m.sequence;
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

        v1.Summary = (function() {

            /**
             * Properties of a Summary.
             * @memberof remote.v1
             * @interface ISummary
             * @property {string|null} [requestId] Summary requestId
             * @property {number|null} [registrationsCount] Summary registrationsCount
             * @property {string|null} [registrationsDigest] Summary registrationsDigest
             * @property {number|null} [routesCount] Summary routesCount
             * @property {string|null} [routesDigest] Summary routesDigest
             * @property {number|Long|null} [appliedSequence] Summary appliedSequence
             */

            /**
             * Constructs a new Summary.
             * @memberof remote.v1
             * @classdesc Represents a Summary.
             * @implements ISummary
             * @constructor
             * @param {remote.v1.ISummary=} [p] Properties to set
             */
            function Summary(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Summary requestId.
             * @member {string} requestId
             * @memberof remote.v1.Summary
             * @instance
             */
            Summary.prototype.requestId = "";

            /**
             * Summary registrationsCount.
             * @member {number} registrationsCount
             * @memberof remote.v1.Summary
             * @instance
             */
            Summary.prototype.registrationsCount = 0;

            /**
             * Summary registrationsDigest.
             * @member {string} registrationsDigest
             * @memberof remote.v1.Summary
             * @instance
             */
            Summary.prototype.registrationsDigest = "";

            /**
             * Summary routesCount.
             * @member {number} routesCount
             * @memberof remote.v1.Summary
             * @instance
             */
            Summary.prototype.routesCount = 0;

            /**
             * Summary routesDigest.
             * @member {string} routesDigest
             * @memberof remote.v1.Summary
             * @instance
             */
            Summary.prototype.routesDigest = "";

            /**
             * Summary appliedSequence.
             * @member {number|Long} appliedSequence
             * @memberof remote.v1.Summary
             * @instance
             */
            Summary.prototype.appliedSequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Summary instance using the specified properties.
             * @function create
             * @memberof remote.v1.Summary
             * @static
             * @param {remote.v1.ISummary=} [properties] Properties to set
             * @returns {remote.v1.Summary} Summary instance
             */
            Summary.create = function create(properties) {
                return new Summary(properties);
            };

            /**
             * Encodes the specified Summary message. Does not implicitly {@link remote.v1.Summary.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.Summary
             * @static
             * @param {remote.v1.ISummary} m Summary message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Summary.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId"))
                    w.uint32(10).string(m.requestId);
                if (m.registrationsCount != null && Object.hasOwnProperty.call(m, "registrationsCount"))
                    w.uint32(16).uint32(m.registrationsCount);
                if (m.registrationsDigest != null && Object.hasOwnProperty.call(m, "registrationsDigest"))
                    w.uint32(26).string(m.registrationsDigest);
                if (m.routesCount != null && Object.hasOwnProperty.call(m, "routesCount"))
                    w.uint32(32).uint32(m.routesCount);
                if (m.routesDigest != null && Object.hasOwnProperty.call(m, "routesDigest"))
                    w.uint32(42).string(m.routesDigest);
                if (m.appliedSequence != null && Object.hasOwnProperty.call(m, "appliedSequence"))
                    w.uint32(48).uint64(m.appliedSequence);
                return w;
            };

            /**
             * Decodes a Summary message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.Summary
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.Summary} Summary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Summary.decode = function decode(r, l, e, n) {
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
                m = new $root.remote.v1.Summary();
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
                            m.registrationsCount = r.uint32();
                            break;
                        }
                    case 3: {
                            m.registrationsDigest = r.string();
                            break;
                        }
                    case 4: {
                            m.routesCount = r.uint32();
                            break;
                        }
                    case 5: {
                            m.routesDigest = r.string();
                            break;
                        }
                    case 6: {
                            m.appliedSequence = r.uint64();
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
             * Creates a Summary message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.Summary
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.Summary} Summary
             */
            Summary.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.Summary)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.Summary: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.Summary();
                if (d.requestId != null) {
                    m.requestId = String(d.requestId);
                }
                if (d.registrationsCount != null) {
                    m.registrationsCount = d.registrationsCount >>> 0;
                }
                if (d.registrationsDigest != null) {
                    m.registrationsDigest = String(d.registrationsDigest);
                }
                if (d.routesCount != null) {
                    m.routesCount = d.routesCount >>> 0;
                }
                if (d.routesDigest != null) {
                    m.routesDigest = String(d.routesDigest);
                }
                if (d.appliedSequence != null) {
                    if ($util.Long)
                        m.appliedSequence = $util.Long.fromValue(d.appliedSequence, true);
                    else if (typeof d.appliedSequence === "string")
                        m.appliedSequence = parseInt(d.appliedSequence, 10);
                    else if (typeof d.appliedSequence === "number")
                        m.appliedSequence = d.appliedSequence;
                    else if (typeof d.appliedSequence === "object")
                        m.appliedSequence = new $util.LongBits(d.appliedSequence.low >>> 0, d.appliedSequence.high >>> 0).toNumber(true);
                }
                return m;
            };

            /**
             * Creates a plain object from a Summary message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.Summary
             * @static
             * @param {remote.v1.Summary} m Summary
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Summary.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.requestId = "";
                    d.registrationsCount = 0;
                    d.registrationsDigest = "";
                    d.routesCount = 0;
                    d.routesDigest = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.appliedSequence = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.appliedSequence = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                }
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId")) {
                    d.requestId = m.requestId;
                }
                if (m.registrationsCount != null && Object.hasOwnProperty.call(m, "registrationsCount")) {
                    d.registrationsCount = m.registrationsCount;
                }
                if (m.registrationsDigest != null && Object.hasOwnProperty.call(m, "registrationsDigest")) {
                    d.registrationsDigest = m.registrationsDigest;
                }
                if (m.routesCount != null && Object.hasOwnProperty.call(m, "routesCount")) {
                    d.routesCount = m.routesCount;
                }
                if (m.routesDigest != null && Object.hasOwnProperty.call(m, "routesDigest")) {
                    d.routesDigest = m.routesDigest;
                }
                if (m.appliedSequence != null && Object.hasOwnProperty.call(m, "appliedSequence")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.appliedSequence = typeof m.appliedSequence === "number" ? BigInt(m.appliedSequence) : $util.Long.fromBits(m.appliedSequence.low >>> 0, m.appliedSequence.high >>> 0, true).toBigInt();
                    else if (typeof m.appliedSequence === "number")
                        d.appliedSequence = o.longs === String ? String(m.appliedSequence) : m.appliedSequence;
                    else
                        d.appliedSequence = o.longs === String ? $util.Long.prototype.toString.call(m.appliedSequence) : o.longs === Number ? new $util.LongBits(m.appliedSequence.low >>> 0, m.appliedSequence.high >>> 0).toNumber(true) : m.appliedSequence;
                }
                return d;
            };

            /**
             * Converts this Summary to JSON.
             * @function toJSON
             * @memberof remote.v1.Summary
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Summary.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Summary
             * @function getTypeUrl
             * @memberof remote.v1.Summary
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Summary.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.Summary";
            };

            return Summary;
        })();

        v1.RegistrationSet = (function() {

            /**
             * Properties of a RegistrationSet.
             * @memberof remote.v1
             * @interface IRegistrationSet
             * @property {string|null} [setId] RegistrationSet setId
             * @property {number|null} [part] RegistrationSet part
             * @property {number|null} [parts] RegistrationSet parts
             * @property {Array.<remote.v1.IRegister>|null} [registrations] RegistrationSet registrations
             */

            /**
             * Constructs a new RegistrationSet.
             * @memberof remote.v1
             * @classdesc Represents a RegistrationSet.
             * @implements IRegistrationSet
             * @constructor
             * @param {remote.v1.IRegistrationSet=} [p] Properties to set
             */
            function RegistrationSet(p) {
                this.registrations = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * RegistrationSet setId.
             * @member {string} setId
             * @memberof remote.v1.RegistrationSet
             * @instance
             */
            RegistrationSet.prototype.setId = "";

            /**
             * RegistrationSet part.
             * @member {number} part
             * @memberof remote.v1.RegistrationSet
             * @instance
             */
            RegistrationSet.prototype.part = 0;

            /**
             * RegistrationSet parts.
             * @member {number} parts
             * @memberof remote.v1.RegistrationSet
             * @instance
             */
            RegistrationSet.prototype.parts = 0;

            /**
             * RegistrationSet registrations.
             * @member {Array.<remote.v1.IRegister>} registrations
             * @memberof remote.v1.RegistrationSet
             * @instance
             */
            RegistrationSet.prototype.registrations = $util.emptyArray;

            /**
             * Creates a new RegistrationSet instance using the specified properties.
             * @function create
             * @memberof remote.v1.RegistrationSet
             * @static
             * @param {remote.v1.IRegistrationSet=} [properties] Properties to set
             * @returns {remote.v1.RegistrationSet} RegistrationSet instance
             */
            RegistrationSet.create = function create(properties) {
                return new RegistrationSet(properties);
            };

            /**
             * Encodes the specified RegistrationSet message. Does not implicitly {@link remote.v1.RegistrationSet.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.RegistrationSet
             * @static
             * @param {remote.v1.IRegistrationSet} m RegistrationSet message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegistrationSet.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.setId != null && Object.hasOwnProperty.call(m, "setId"))
                    w.uint32(10).string(m.setId);
                if (m.part != null && Object.hasOwnProperty.call(m, "part"))
                    w.uint32(16).uint32(m.part);
                if (m.parts != null && Object.hasOwnProperty.call(m, "parts"))
                    w.uint32(24).uint32(m.parts);
                if (m.registrations != null && m.registrations.length) {
                    for (var i = 0; i < m.registrations.length; ++i)
                        $root.remote.v1.Register.encode(m.registrations[i], w.uint32(34).fork(), q + 1).ldelim();
                }
                return w;
            };

            /**
             * Decodes a RegistrationSet message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.RegistrationSet
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.RegistrationSet} RegistrationSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegistrationSet.decode = function decode(r, l, e, n) {
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
                m = new $root.remote.v1.RegistrationSet();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.setId = r.string();
                            break;
                        }
                    case 2: {
                            m.part = r.uint32();
                            break;
                        }
                    case 3: {
                            m.parts = r.uint32();
                            break;
                        }
                    case 4: {
                            if (!(m.registrations && m.registrations.length))
                                m.registrations = [];
                            m.registrations.push($root.remote.v1.Register.decode(r, r.uint32(), undefined, n + 1));
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
             * Creates a RegistrationSet message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.RegistrationSet
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.RegistrationSet} RegistrationSet
             */
            RegistrationSet.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.RegistrationSet)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.RegistrationSet: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.RegistrationSet();
                if (d.setId != null) {
                    m.setId = String(d.setId);
                }
                if (d.part != null) {
                    m.part = d.part >>> 0;
                }
                if (d.parts != null) {
                    m.parts = d.parts >>> 0;
                }
                if (d.registrations) {
                    if (!Array.isArray(d.registrations))
                        throw TypeError(".remote.v1.RegistrationSet.registrations: array expected");
                    m.registrations = [];
                    for (var i = 0; i < d.registrations.length; ++i) {
                        if (!$util.isObject(d.registrations[i]))
                            throw TypeError(".remote.v1.RegistrationSet.registrations: object expected");
                        m.registrations[i] = $root.remote.v1.Register.fromObject(d.registrations[i], n + 1);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a RegistrationSet message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.RegistrationSet
             * @static
             * @param {remote.v1.RegistrationSet} m RegistrationSet
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RegistrationSet.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.registrations = [];
                }
                if (o.defaults) {
                    d.setId = "";
                    d.part = 0;
                    d.parts = 0;
                }
                if (m.setId != null && Object.hasOwnProperty.call(m, "setId")) {
                    d.setId = m.setId;
                }
                if (m.part != null && Object.hasOwnProperty.call(m, "part")) {
                    d.part = m.part;
                }
                if (m.parts != null && Object.hasOwnProperty.call(m, "parts")) {
                    d.parts = m.parts;
                }
                if (m.registrations && m.registrations.length) {
                    d.registrations = [];
                    for (var j = 0; j < m.registrations.length; ++j) {
                        d.registrations[j] = $root.remote.v1.Register.toObject(m.registrations[j], o, q + 1);
                    }
                }
                return d;
            };

            /**
             * Converts this RegistrationSet to JSON.
             * @function toJSON
             * @memberof remote.v1.RegistrationSet
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RegistrationSet.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for RegistrationSet
             * @function getTypeUrl
             * @memberof remote.v1.RegistrationSet
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RegistrationSet.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.RegistrationSet";
            };

            return RegistrationSet;
        })();

        v1.RouteSet = (function() {

            /**
             * Properties of a RouteSet.
             * @memberof remote.v1
             * @interface IRouteSet
             * @property {string|null} [requestId] RouteSet requestId
             * @property {number|null} [part] RouteSet part
             * @property {number|null} [parts] RouteSet parts
             * @property {Array.<remote.v1.IRoute>|null} [routes] RouteSet routes
             */

            /**
             * Constructs a new RouteSet.
             * @memberof remote.v1
             * @classdesc Represents a RouteSet.
             * @implements IRouteSet
             * @constructor
             * @param {remote.v1.IRouteSet=} [p] Properties to set
             */
            function RouteSet(p) {
                this.routes = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * RouteSet requestId.
             * @member {string} requestId
             * @memberof remote.v1.RouteSet
             * @instance
             */
            RouteSet.prototype.requestId = "";

            /**
             * RouteSet part.
             * @member {number} part
             * @memberof remote.v1.RouteSet
             * @instance
             */
            RouteSet.prototype.part = 0;

            /**
             * RouteSet parts.
             * @member {number} parts
             * @memberof remote.v1.RouteSet
             * @instance
             */
            RouteSet.prototype.parts = 0;

            /**
             * RouteSet routes.
             * @member {Array.<remote.v1.IRoute>} routes
             * @memberof remote.v1.RouteSet
             * @instance
             */
            RouteSet.prototype.routes = $util.emptyArray;

            /**
             * Creates a new RouteSet instance using the specified properties.
             * @function create
             * @memberof remote.v1.RouteSet
             * @static
             * @param {remote.v1.IRouteSet=} [properties] Properties to set
             * @returns {remote.v1.RouteSet} RouteSet instance
             */
            RouteSet.create = function create(properties) {
                return new RouteSet(properties);
            };

            /**
             * Encodes the specified RouteSet message. Does not implicitly {@link remote.v1.RouteSet.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.RouteSet
             * @static
             * @param {remote.v1.IRouteSet} m RouteSet message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RouteSet.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId"))
                    w.uint32(10).string(m.requestId);
                if (m.part != null && Object.hasOwnProperty.call(m, "part"))
                    w.uint32(16).uint32(m.part);
                if (m.parts != null && Object.hasOwnProperty.call(m, "parts"))
                    w.uint32(24).uint32(m.parts);
                if (m.routes != null && m.routes.length) {
                    for (var i = 0; i < m.routes.length; ++i)
                        $root.remote.v1.Route.encode(m.routes[i], w.uint32(34).fork(), q + 1).ldelim();
                }
                return w;
            };

            /**
             * Decodes a RouteSet message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.RouteSet
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.RouteSet} RouteSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RouteSet.decode = function decode(r, l, e, n) {
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
                m = new $root.remote.v1.RouteSet();
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
                            m.part = r.uint32();
                            break;
                        }
                    case 3: {
                            m.parts = r.uint32();
                            break;
                        }
                    case 4: {
                            if (!(m.routes && m.routes.length))
                                m.routes = [];
                            m.routes.push($root.remote.v1.Route.decode(r, r.uint32(), undefined, n + 1));
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
             * Creates a RouteSet message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.RouteSet
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.RouteSet} RouteSet
             */
            RouteSet.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.RouteSet)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".remote.v1.RouteSet: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.remote.v1.RouteSet();
                if (d.requestId != null) {
                    m.requestId = String(d.requestId);
                }
                if (d.part != null) {
                    m.part = d.part >>> 0;
                }
                if (d.parts != null) {
                    m.parts = d.parts >>> 0;
                }
                if (d.routes) {
                    if (!Array.isArray(d.routes))
                        throw TypeError(".remote.v1.RouteSet.routes: array expected");
                    m.routes = [];
                    for (var i = 0; i < d.routes.length; ++i) {
                        if (!$util.isObject(d.routes[i]))
                            throw TypeError(".remote.v1.RouteSet.routes: object expected");
                        m.routes[i] = $root.remote.v1.Route.fromObject(d.routes[i], n + 1);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a RouteSet message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.RouteSet
             * @static
             * @param {remote.v1.RouteSet} m RouteSet
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RouteSet.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.routes = [];
                }
                if (o.defaults) {
                    d.requestId = "";
                    d.part = 0;
                    d.parts = 0;
                }
                if (m.requestId != null && Object.hasOwnProperty.call(m, "requestId")) {
                    d.requestId = m.requestId;
                }
                if (m.part != null && Object.hasOwnProperty.call(m, "part")) {
                    d.part = m.part;
                }
                if (m.parts != null && Object.hasOwnProperty.call(m, "parts")) {
                    d.parts = m.parts;
                }
                if (m.routes && m.routes.length) {
                    d.routes = [];
                    for (var j = 0; j < m.routes.length; ++j) {
                        d.routes[j] = $root.remote.v1.Route.toObject(m.routes[j], o, q + 1);
                    }
                }
                return d;
            };

            /**
             * Converts this RouteSet to JSON.
             * @function toJSON
             * @memberof remote.v1.RouteSet
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RouteSet.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for RouteSet
             * @function getTypeUrl
             * @memberof remote.v1.RouteSet
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RouteSet.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.RouteSet";
            };

            return RouteSet;
        })();

        v1.SummaryRequest = (function() {

            /**
             * Properties of a SummaryRequest.
             * @memberof remote.v1
             * @interface ISummaryRequest
             */

            /**
             * Constructs a new SummaryRequest.
             * @memberof remote.v1
             * @classdesc Represents a SummaryRequest.
             * @implements ISummaryRequest
             * @constructor
             * @param {remote.v1.ISummaryRequest=} [p] Properties to set
             */
            function SummaryRequest(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * Creates a new SummaryRequest instance using the specified properties.
             * @function create
             * @memberof remote.v1.SummaryRequest
             * @static
             * @param {remote.v1.ISummaryRequest=} [properties] Properties to set
             * @returns {remote.v1.SummaryRequest} SummaryRequest instance
             */
            SummaryRequest.create = function create(properties) {
                return new SummaryRequest(properties);
            };

            /**
             * Encodes the specified SummaryRequest message. Does not implicitly {@link remote.v1.SummaryRequest.verify|verify} messages.
             * @function encode
             * @memberof remote.v1.SummaryRequest
             * @static
             * @param {remote.v1.ISummaryRequest} m SummaryRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SummaryRequest.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                return w;
            };

            /**
             * Decodes a SummaryRequest message from the specified reader or buffer.
             * @function decode
             * @memberof remote.v1.SummaryRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {remote.v1.SummaryRequest} SummaryRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SummaryRequest.decode = function decode(r, l, e, n) {
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
                m = new $root.remote.v1.SummaryRequest();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
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
             * Creates a SummaryRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof remote.v1.SummaryRequest
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {remote.v1.SummaryRequest} SummaryRequest
             */
            SummaryRequest.fromObject = function fromObject(d, n) {
                if (d instanceof $root.remote.v1.SummaryRequest)
                    return d;
                return new $root.remote.v1.SummaryRequest();
            };

            /**
             * Creates a plain object from a SummaryRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof remote.v1.SummaryRequest
             * @static
             * @param {remote.v1.SummaryRequest} m SummaryRequest
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SummaryRequest.toObject = function toObject() {
                return {};
            };

            /**
             * Converts this SummaryRequest to JSON.
             * @function toJSON
             * @memberof remote.v1.SummaryRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SummaryRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for SummaryRequest
             * @function getTypeUrl
             * @memberof remote.v1.SummaryRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            SummaryRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/remote.v1.SummaryRequest";
            };

            return SummaryRequest;
        })();

        return v1;
    })();

    return remote;
})();

export { $root as default };
