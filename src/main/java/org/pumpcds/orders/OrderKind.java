package org.pumpcds.orders;

/** What a recognised order is, which decides the policy checks that apply to it. */
public enum OrderKind {
    /** Implant, replacement or revision of a pump or its catheter (CPT, ICD-10-PCS). */
    PROCEDURE,
    /** The pump itself (HCPCS device codes), ordered as a DeviceRequest or a ServiceRequest. */
    DEVICE,
    /** A drug to be delivered by an implantable pump. */
    DRUG
}
