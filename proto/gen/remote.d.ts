import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace remote. */
export namespace remote {

    /** Namespace v1. */
    namespace v1 {

        /** Properties of an Envelope. */
        interface IEnvelope {

            /** Envelope register */
            register?: (remote.v1.IRegister|null);

            /** Envelope deregister */
            deregister?: (remote.v1.IDeregister|null);

            /** Envelope route */
            route?: (remote.v1.IRoute|null);

            /** Envelope resync */
            resync?: (remote.v1.IResync|null);

            /** Envelope resyncComplete */
            resyncComplete?: (remote.v1.IResyncComplete|null);

            /** Envelope summary */
            summary?: (remote.v1.ISummary|null);

            /** Envelope summaryReply */
            summaryReply?: (remote.v1.ISummary|null);

            /** Envelope registrationSet */
            registrationSet?: (remote.v1.IRegistrationSet|null);

            /** Envelope routeSet */
            routeSet?: (remote.v1.IRouteSet|null);

            /** Envelope summaryRequest */
            summaryRequest?: (remote.v1.ISummaryRequest|null);

            /** Envelope sequence */
            sequence?: (number|Long|null);
        }

        /** Represents an Envelope. */
        class Envelope implements IEnvelope {

            /**
             * Constructs a new Envelope.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IEnvelope);

            /** Envelope register. */
            public register?: (remote.v1.IRegister|null);

            /** Envelope deregister. */
            public deregister?: (remote.v1.IDeregister|null);

            /** Envelope route. */
            public route?: (remote.v1.IRoute|null);

            /** Envelope resync. */
            public resync?: (remote.v1.IResync|null);

            /** Envelope resyncComplete. */
            public resyncComplete?: (remote.v1.IResyncComplete|null);

            /** Envelope summary. */
            public summary?: (remote.v1.ISummary|null);

            /** Envelope summaryReply. */
            public summaryReply?: (remote.v1.ISummary|null);

            /** Envelope registrationSet. */
            public registrationSet?: (remote.v1.IRegistrationSet|null);

            /** Envelope routeSet. */
            public routeSet?: (remote.v1.IRouteSet|null);

            /** Envelope summaryRequest. */
            public summaryRequest?: (remote.v1.ISummaryRequest|null);

            /** Envelope sequence. */
            public sequence: (number|Long);

            /** Envelope kind. */
            public kind?: ("register"|"deregister"|"route"|"resync"|"resyncComplete"|"summary"|"summaryReply"|"registrationSet"|"routeSet"|"summaryRequest");

            /**
             * Creates a new Envelope instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Envelope instance
             */
            public static create(properties?: remote.v1.IEnvelope): remote.v1.Envelope;

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link remote.v1.Envelope.verify|verify} messages.
             * @param m Envelope message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IEnvelope, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.Envelope;

            /**
             * Creates an Envelope message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Envelope
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.Envelope;

            /**
             * Creates a plain object from an Envelope message. Also converts values to other types if specified.
             * @param m Envelope
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.Envelope, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Envelope to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Envelope
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Register. */
        interface IRegister {

            /** Register network */
            network?: (string|null);

            /** Register srv6Endpoint */
            srv6Endpoint?: (string|null);
        }

        /** Represents a Register. */
        class Register implements IRegister {

            /**
             * Constructs a new Register.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IRegister);

            /** Register network. */
            public network: string;

            /** Register srv6Endpoint. */
            public srv6Endpoint: string;

            /**
             * Creates a new Register instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Register instance
             */
            public static create(properties?: remote.v1.IRegister): remote.v1.Register;

            /**
             * Encodes the specified Register message. Does not implicitly {@link remote.v1.Register.verify|verify} messages.
             * @param m Register message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IRegister, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Register message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns Register
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.Register;

            /**
             * Creates a Register message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Register
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.Register;

            /**
             * Creates a plain object from a Register message. Also converts values to other types if specified.
             * @param m Register
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.Register, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Register to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Register
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Deregister. */
        interface IDeregister {

            /** Deregister network */
            network?: (string|null);

            /** Deregister srv6Endpoint */
            srv6Endpoint?: (string|null);
        }

        /** Represents a Deregister. */
        class Deregister implements IDeregister {

            /**
             * Constructs a new Deregister.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IDeregister);

            /** Deregister network. */
            public network: string;

            /** Deregister srv6Endpoint. */
            public srv6Endpoint: string;

            /**
             * Creates a new Deregister instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Deregister instance
             */
            public static create(properties?: remote.v1.IDeregister): remote.v1.Deregister;

            /**
             * Encodes the specified Deregister message. Does not implicitly {@link remote.v1.Deregister.verify|verify} messages.
             * @param m Deregister message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IDeregister, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Deregister message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns Deregister
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.Deregister;

            /**
             * Creates a Deregister message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Deregister
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.Deregister;

            /**
             * Creates a plain object from a Deregister message. Also converts values to other types if specified.
             * @param m Deregister
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.Deregister, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Deregister to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Deregister
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Route. */
        interface IRoute {

            /** Route network */
            network?: (string|null);

            /** Route srv6Endpoint */
            srv6Endpoint?: (string|null);

            /** Route srv6Segments */
            srv6Segments?: (string[]|null);

            /** Route status */
            status?: (remote.v1.Route.Status|null);
        }

        /** Represents a Route. */
        class Route implements IRoute {

            /**
             * Constructs a new Route.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IRoute);

            /** Route network. */
            public network: string;

            /** Route srv6Endpoint. */
            public srv6Endpoint: string;

            /** Route srv6Segments. */
            public srv6Segments: string[];

            /** Route status. */
            public status: remote.v1.Route.Status;

            /**
             * Creates a new Route instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Route instance
             */
            public static create(properties?: remote.v1.IRoute): remote.v1.Route;

            /**
             * Encodes the specified Route message. Does not implicitly {@link remote.v1.Route.verify|verify} messages.
             * @param m Route message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IRoute, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Route message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns Route
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.Route;

            /**
             * Creates a Route message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Route
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.Route;

            /**
             * Creates a plain object from a Route message. Also converts values to other types if specified.
             * @param m Route
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.Route, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Route to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Route
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        namespace Route {

            /** Status enum. */
            enum Status {
                ADD = 0,
                DELETE = 1
            }
        }

        /** Properties of a Resync. */
        interface IResync {

            /** Resync requestId */
            requestId?: (string|null);
        }

        /** Represents a Resync. */
        class Resync implements IResync {

            /**
             * Constructs a new Resync.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IResync);

            /** Resync requestId. */
            public requestId: string;

            /**
             * Creates a new Resync instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Resync instance
             */
            public static create(properties?: remote.v1.IResync): remote.v1.Resync;

            /**
             * Encodes the specified Resync message. Does not implicitly {@link remote.v1.Resync.verify|verify} messages.
             * @param m Resync message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IResync, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Resync message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns Resync
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.Resync;

            /**
             * Creates a Resync message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Resync
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.Resync;

            /**
             * Creates a plain object from a Resync message. Also converts values to other types if specified.
             * @param m Resync
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.Resync, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Resync to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Resync
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ResyncComplete. */
        interface IResyncComplete {

            /** ResyncComplete requestId */
            requestId?: (string|null);

            /** ResyncComplete routes */
            routes?: (number|null);
        }

        /** Represents a ResyncComplete. */
        class ResyncComplete implements IResyncComplete {

            /**
             * Constructs a new ResyncComplete.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IResyncComplete);

            /** ResyncComplete requestId. */
            public requestId: string;

            /** ResyncComplete routes. */
            public routes: number;

            /**
             * Creates a new ResyncComplete instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ResyncComplete instance
             */
            public static create(properties?: remote.v1.IResyncComplete): remote.v1.ResyncComplete;

            /**
             * Encodes the specified ResyncComplete message. Does not implicitly {@link remote.v1.ResyncComplete.verify|verify} messages.
             * @param m ResyncComplete message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IResyncComplete, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ResyncComplete message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns ResyncComplete
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.ResyncComplete;

            /**
             * Creates a ResyncComplete message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns ResyncComplete
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.ResyncComplete;

            /**
             * Creates a plain object from a ResyncComplete message. Also converts values to other types if specified.
             * @param m ResyncComplete
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.ResyncComplete, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ResyncComplete to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for ResyncComplete
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Summary. */
        interface ISummary {

            /** Summary requestId */
            requestId?: (string|null);

            /** Summary registrationsCount */
            registrationsCount?: (number|null);

            /** Summary registrationsDigest */
            registrationsDigest?: (string|null);

            /** Summary routesCount */
            routesCount?: (number|null);

            /** Summary routesDigest */
            routesDigest?: (string|null);

            /** Summary appliedSequence */
            appliedSequence?: (number|Long|null);
        }

        /** Represents a Summary. */
        class Summary implements ISummary {

            /**
             * Constructs a new Summary.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.ISummary);

            /** Summary requestId. */
            public requestId: string;

            /** Summary registrationsCount. */
            public registrationsCount: number;

            /** Summary registrationsDigest. */
            public registrationsDigest: string;

            /** Summary routesCount. */
            public routesCount: number;

            /** Summary routesDigest. */
            public routesDigest: string;

            /** Summary appliedSequence. */
            public appliedSequence: (number|Long);

            /**
             * Creates a new Summary instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Summary instance
             */
            public static create(properties?: remote.v1.ISummary): remote.v1.Summary;

            /**
             * Encodes the specified Summary message. Does not implicitly {@link remote.v1.Summary.verify|verify} messages.
             * @param m Summary message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.ISummary, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Summary message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns Summary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.Summary;

            /**
             * Creates a Summary message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Summary
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.Summary;

            /**
             * Creates a plain object from a Summary message. Also converts values to other types if specified.
             * @param m Summary
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.Summary, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Summary to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Summary
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a RegistrationSet. */
        interface IRegistrationSet {

            /** RegistrationSet setId */
            setId?: (string|null);

            /** RegistrationSet part */
            part?: (number|null);

            /** RegistrationSet parts */
            parts?: (number|null);

            /** RegistrationSet registrations */
            registrations?: (remote.v1.IRegister[]|null);
        }

        /** Represents a RegistrationSet. */
        class RegistrationSet implements IRegistrationSet {

            /**
             * Constructs a new RegistrationSet.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IRegistrationSet);

            /** RegistrationSet setId. */
            public setId: string;

            /** RegistrationSet part. */
            public part: number;

            /** RegistrationSet parts. */
            public parts: number;

            /** RegistrationSet registrations. */
            public registrations: remote.v1.IRegister[];

            /**
             * Creates a new RegistrationSet instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RegistrationSet instance
             */
            public static create(properties?: remote.v1.IRegistrationSet): remote.v1.RegistrationSet;

            /**
             * Encodes the specified RegistrationSet message. Does not implicitly {@link remote.v1.RegistrationSet.verify|verify} messages.
             * @param m RegistrationSet message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IRegistrationSet, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RegistrationSet message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns RegistrationSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.RegistrationSet;

            /**
             * Creates a RegistrationSet message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns RegistrationSet
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.RegistrationSet;

            /**
             * Creates a plain object from a RegistrationSet message. Also converts values to other types if specified.
             * @param m RegistrationSet
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.RegistrationSet, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RegistrationSet to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RegistrationSet
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a RouteSet. */
        interface IRouteSet {

            /** RouteSet requestId */
            requestId?: (string|null);

            /** RouteSet part */
            part?: (number|null);

            /** RouteSet parts */
            parts?: (number|null);

            /** RouteSet routes */
            routes?: (remote.v1.IRoute[]|null);
        }

        /** Represents a RouteSet. */
        class RouteSet implements IRouteSet {

            /**
             * Constructs a new RouteSet.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.IRouteSet);

            /** RouteSet requestId. */
            public requestId: string;

            /** RouteSet part. */
            public part: number;

            /** RouteSet parts. */
            public parts: number;

            /** RouteSet routes. */
            public routes: remote.v1.IRoute[];

            /**
             * Creates a new RouteSet instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RouteSet instance
             */
            public static create(properties?: remote.v1.IRouteSet): remote.v1.RouteSet;

            /**
             * Encodes the specified RouteSet message. Does not implicitly {@link remote.v1.RouteSet.verify|verify} messages.
             * @param m RouteSet message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.IRouteSet, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RouteSet message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns RouteSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.RouteSet;

            /**
             * Creates a RouteSet message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns RouteSet
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.RouteSet;

            /**
             * Creates a plain object from a RouteSet message. Also converts values to other types if specified.
             * @param m RouteSet
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.RouteSet, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RouteSet to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RouteSet
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a SummaryRequest. */
        interface ISummaryRequest {
        }

        /** Represents a SummaryRequest. */
        class SummaryRequest implements ISummaryRequest {

            /**
             * Constructs a new SummaryRequest.
             * @param [p] Properties to set
             */
            constructor(p?: remote.v1.ISummaryRequest);

            /**
             * Creates a new SummaryRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SummaryRequest instance
             */
            public static create(properties?: remote.v1.ISummaryRequest): remote.v1.SummaryRequest;

            /**
             * Encodes the specified SummaryRequest message. Does not implicitly {@link remote.v1.SummaryRequest.verify|verify} messages.
             * @param m SummaryRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: remote.v1.ISummaryRequest, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SummaryRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns SummaryRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): remote.v1.SummaryRequest;

            /**
             * Creates a SummaryRequest message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns SummaryRequest
             */
            public static fromObject(d: { [k: string]: any }): remote.v1.SummaryRequest;

            /**
             * Creates a plain object from a SummaryRequest message. Also converts values to other types if specified.
             * @param m SummaryRequest
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: remote.v1.SummaryRequest, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SummaryRequest to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for SummaryRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
